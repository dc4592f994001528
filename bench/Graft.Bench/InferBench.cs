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
            case "profile":
            {
                var p = InferencePlan.Compile(model);
                p.StepSeconds = new double[p.Steps.Count];
                for (int i = 0; i < o.Warmup; i++) p.Run(x);
                Array.Clear(p.StepSeconds);
                for (int i = 0; i < o.Iters; i++) p.Run(x);
                double total = p.StepSeconds.Sum();
                foreach (var (sec, i) in p.StepSeconds.Select((v, i) => (v, i)).OrderByDescending(t => t.v).Take(40))
                    Console.WriteLine($"{1000 * sec / o.Iters,8:F2} ms {100 * sec / total,5:F1}%  {p.Steps[i]}");
                Console.WriteLine($"{1000 * total / o.Iters,8:F2} ms total per batch, {o.Batch * o.Iters / total:F1} img/s");
                return 0;
            }
            case "forward":
                step = () => model.Forward(x, training: false);
                break;
            default:
                throw new ArgumentException($"Unknown engine '{o.Engine}'. Expected plan, forward or profile (per-step times of the plan).");
        }
        double load0 = Timing.LoadAverage();
        var r = Timing.Rate(step, o.Batch, o.Warmup, o.Iters, o.Reps);
        var mem = Timing.Memory();
        Console.WriteLine(PerfReport.Line("infer", "graft-" + o.Engine, o.Model, o.Batch, o.Threads, r, mem, (load0 + Timing.LoadAverage()) / 2));
        return 0;
    }
}
