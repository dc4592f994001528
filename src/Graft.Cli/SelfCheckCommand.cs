using System.Diagnostics;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Cli;

/// <summary>
/// The engine's self-check: fits a small network to a synthetic two-class problem with plain SGD through
/// the graph's forward and backward, and reports the final loss and accuracy.
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
        var arena = model.CreateArena();
        var grad = new Tensor(new Shape(n, classes));
        float loss = 0, acc = 0;
        for (int step = 0; step < 500; step++)
        {
            var p = model.Forward(x, training: true);
            loss = 0; int correct = 0;
            for (int i = 0; i < n; i++)
            {
                float pi = Math.Max(p[i * classes + labels[i]], 1e-7f);
                loss -= MathF.Log(pi) / n;
                if ((p[i * classes + 1] > p[i * classes]) == (labels[i] == 1)) correct++;
                for (int c = 0; c < classes; c++) grad[i * classes + c] = c == labels[i] ? -1f / (pi * n) : 0f;
            }
            acc = correct / (float)n;
            arena.ZeroGrad();
            model.Backward(grad);
            for (int i = 0; i < arena.Values.Length; i++) arena.Values[i] -= 0.5f * arena.Grads[i];
        }
        Console.WriteLine($"engine self-check: loss {loss:F4}, accuracy {acc:P1} on a synthetic task ({sw.Elapsed.TotalSeconds:F1} s)");
        return loss < 0.1f && acc > 0.98f ? CommandLine.Ok : CommandLine.Failure;
    }
}
