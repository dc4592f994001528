using System.Diagnostics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Tensors;

namespace Graft.Cli;

/// <summary>
/// The engine's self-check: fits a small network to a synthetic two-class problem with plain SGD through
/// the graph's forward and backward, the library's loss and optimizer, and reports the final loss and accuracy.
/// </summary>
internal static class SelfCheckCommand
{
    public static int Run(string[] args)
    {
        var sw = Stopwatch.StartNew();
        var rng = new Random(7);
        const int n = 256, features = 8, classes = 2;
        var x = new Tensor(new Shape(n, features));
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            float s = 0;
            for (int f = 0; f < features; f++) { x[i * features + f] = (float)(rng.NextDouble() * 2 - 1); s += x[i * features + f] * (f % 2 == 0 ? 1 : -1); }
            labels[i] = s > 0 ? 1 : 0;
        }
        var model = Model.Sequential(new Shape(features), new Dense(16, ActivationKind.Tanh, name: "hidden"), new Dense(classes, ActivationKind.Softmax, name: "out"));
        var sgd = new Sgd(model.CreateArena(), learningRate: 0.5f);
        var loss = new CategoricalCrossEntropy();
        var grad = new Tensor(new Shape(n, classes));
        float lossValue = 0, acc = 0;
        for (int step = 0; step < 500; step++)
        {
            sgd.ZeroGrad();
            var p = model.Forward(x, training: true);
            lossValue = loss.Compute(p, labels, grad);
            int correct = 0;
            for (int i = 0; i < n; i++)
                if (TensorPrimitives.IndexOfMax(p.Span.Slice(i * classes, classes)) == labels[i]) correct++;
            acc = correct / (float)n;
            model.Backward(grad);
            sgd.Step();
        }
        Console.WriteLine($"engine self-check: loss {lossValue:F4}, accuracy {acc:P1} on a synthetic task ({sw.Elapsed.TotalSeconds:F1} s)");
        return lossValue < 0.1f && acc > 0.98f ? CommandLine.Ok : CommandLine.Failure;
    }
}
