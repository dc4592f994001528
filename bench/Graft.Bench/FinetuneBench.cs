using Graft.Bench.Networks;
using Graft.Kernels;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Transfer;

namespace Graft.Bench;

/// <summary>
/// A full fine-tune training step, as PyTorch's anchor measures it: every layer trainable, BatchNorm in training
/// mode, forward, softmax cross-entropy on 5 classes, backward, SGD with momentum 0.9.
/// </summary>
internal static class FinetuneBench
{
    public static int Run(string[] args)
    {
        var o = BenchOptions.Parse(args, "model");
        Parallelism.MaxThreads = o.Threads;
        var model = BenchModels.Create(o.Model);
        // Zoo models may load with layers frozen; the anchor trains every layer, BatchNorm in training mode.
        model.Unfreeze();
        var x = ShapedNetworks.RandomImages(o.Batch, model.Inputs[0].Shape, seed: 1);
        var labels = Enumerable.Range(0, o.Batch).Select(i => i % model.Outputs[0].Shape[-1]).ToArray();
        var arena = model.CreateArena();
        var sgd = new Sgd(arena, learningRate: 0.01f, momentum: 0.9f);
        var loss = new SoftmaxCrossEntropy();
        var grad = new Tensor(model.Outputs[0].Shape.WithBatch(o.Batch));
        if (o.Engine == "profile")
        {
            TrainProfile.Run(model, x, grad, o.Iters);
            return 0;
        }
        void Step()
        {
            sgd.ZeroGrad();
            var y = model.Forward(x, training: true);
            loss.Compute(y, labels, grad);
            model.Backward(grad);
            sgd.Step();
        }
        double load0 = Timing.LoadAverage();
        var r = Timing.Rate(Step, o.Batch, o.Warmup, o.Iters, o.Reps);
        var mem = Timing.Memory();
        Console.WriteLine(PerfReport.Line("finetune", "graft", o.Model, o.Batch, o.Threads, r, mem, (load0 + Timing.LoadAverage()) / 2));
        return 0;
    }
}
