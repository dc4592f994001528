using System.Diagnostics;
using Graft.Graph;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Bench;

/// <summary>
/// Where a training step spends its time: runs the model's layers one by one as Model.Forward/Backward do
/// (training mode, gradients summed where a value has several readers) and adds up wall time per layer class
/// and direction. A diagnostic for kernel work, not a benchmark figure.
/// </summary>
internal static class TrainProfile
{
    public static void Run(Model model, Tensor x, Tensor outputGrad, int iters)
    {
        var nodes = model.Nodes;
        var index = nodes.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i);
        var values = new Tensor[nodes.Count];
        var grads = new Tensor?[nodes.Count];
        var scratch = new Dictionary<(int, int), Tensor>();
        var times = new Dictionary<string, double>();
        void Add(string key, long t0) => times[key] = times.GetValueOrDefault(key) + Stopwatch.GetElapsedTime(t0).TotalSeconds;
        for (int it = 0; it < iters + 1; it++)
        {
            if (it == 1) times.Clear(); // the first pass allocates
            for (int k = 0; k < nodes.Count; k++)
            {
                var n = nodes[k];
                if (n.Layer is InputLayer) { values[k] = x; continue; }
                values[k] ??= new Tensor(n.Shape.WithBatch(x.Shape[0]));
                var args = n.Inputs.Select(i => values[index[i]]).ToArray();
                long t0 = Stopwatch.GetTimestamp();
                n.Layer.Forward(args, values[k], training: true);
                Add(n.Layer.ClassName + " forward", t0);
            }
            var set = new bool[nodes.Count];
            grads[^1] ??= new Tensor(outputGrad.Shape);
            grads[^1]!.CopyFrom(outputGrad);
            set[^1] = true;
            for (int k = nodes.Count - 1; k >= 0; k--)
            {
                var n = nodes[k];
                if (n.Layer is InputLayer || !set[k]) continue;
                var inputGrads = new Tensor?[n.Inputs.Count];
                for (int j = 0; j < inputGrads.Length; j++)
                {
                    int src = index[n.Inputs[j]];
                    if (nodes[src].Layer is InputLayer) continue;
                    if (!scratch.TryGetValue((k, j), out var t)) scratch[(k, j)] = t = new Tensor(nodes[src].Shape.WithBatch(x.Shape[0]));
                    inputGrads[j] = t;
                }
                var args = n.Inputs.Select(i => values[index[i]]).ToArray();
                long t0 = Stopwatch.GetTimestamp();
                n.Layer.Backward(args, values[k], grads[k]!, inputGrads);
                Add(n.Layer.ClassName + " backward", t0);
                for (int j = 0; j < inputGrads.Length; j++)
                {
                    if (inputGrads[j] is not { } g) continue;
                    int src = index[n.Inputs[j]];
                    grads[src] ??= new Tensor(g.Shape);
                    if (!set[src]) { g.Span.CopyTo(grads[src]!.Span); set[src] = true; }
                    else TensorPrimitives.Add(grads[src]!.Span, g.Span, grads[src]!.Span);
                }
            }
        }
        double total = times.Values.Sum();
        foreach (var (key, sec) in times.OrderByDescending(t => t.Value))
            Console.WriteLine($"{1000 * sec / iters,9:F1} ms {100 * sec / total,5:F1}%  {key}");
        Console.WriteLine($"{1000 * total / iters,9:F1} ms per step (layers only), {x.Shape[0] * iters / total:F1} img/s");
    }
}
