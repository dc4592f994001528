using Graft.Bench.Networks;
using Graft.Graph;
using Graft.Kernels;

namespace Graft.Bench;

/// <summary>
/// Feature extraction throughput: one batch forward in inference mode, through the compiled
/// <see cref="InferencePlan"/> ("plan") or layer by layer through <see cref="Model.Forward(Graft.Tensors.Tensor, bool)"/>
/// ("forward"). One engine per process, so the peak working set belongs to that engine alone.
/// </summary>
internal static class InferBench
{
    public static int Run(string[] args)
    {
        var o = BenchOptions.Parse(args, "plan");
        Parallelism.MaxThreads = o.Threads;
        var model = BenchModels.Create(o.Model);
        var x = ShapedNetworks.RandomImages(o.Batch, model.Inputs[0].Shape, seed: 1);
        Action step;
        switch (o.Engine)
        {
            case "plan":
                var plan = InferencePlan.Compile(model);
                step = () => plan.Run(x);
                break;
            case "forward":
                step = () => model.Forward(x, training: false);
                break;
            default:
                throw new ArgumentException($"Unknown engine '{o.Engine}'. Expected plan or forward.");
        }
        double load0 = Timing.LoadAverage();
        var r = Timing.Rate(step, o.Batch, o.Warmup, o.Iters, o.Reps);
        var mem = Timing.Memory();
        Console.WriteLine(PerfReport.Line("infer", "graft-" + o.Engine, o.Model, o.Batch, o.Threads, r, mem, (load0 + Timing.LoadAverage()) / 2));
        return 0;
    }
}
