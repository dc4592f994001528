using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Keras's Concatenate along <see cref="Axis"/> (counted with the batch axis as Keras does: -1 or 3 are the
/// channels of NHWC images). Any axis but the batch works: the data is copied as a sequence of
/// [outer × (d_i · inner)] blocks, one block per input per outer index.
/// </summary>
public sealed class Concatenate : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    private int[] _blockLengths = Array.Empty<int>();
    private int _outputBlock;

    public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

    public int Axis { get; }
    public override string ClassName => "Concatenate";
    public override int MinInputs => 1;
    public override int MaxInputs => int.MaxValue;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var first = inputShapes[0];
        int rank = first.Rank;
        int a = Axis < 0 ? Axis + rank + 1 : Axis; // with the batch axis
        if (a < 1 || a > rank)
            throw new ArgumentException($"Invalid value received for argument `axis` of Concatenate '{Name}'. Expected an axis in [{-rank}, -1] or [1, {rank}] for inputs of rank {rank + 1} (with the batch axis). Received: {Axis}.");
        int k = a - 1;
        var dims = first.ToArray();
        dims[k] = 0;
        for (int i = 0; i < inputShapes.Count; i++)
        {
            var s = inputShapes[i];
            bool ok = s.Rank == rank;
            for (int d = 0; ok && d < rank; d++) ok = d == k || s[d] == first[d];
            if (!ok)
            {
                var expected = first.ToArray().Select((v, d) => d == k ? "*" : v.ToString()).ToArray();
                throw ShapeError("(" + string.Join(", ", expected) + ")", s,
                    $"Concatenate joins inputs along axis {Axis}; all other dimensions must match (input {i}; shapes: {string.Join(", ", inputShapes)}).");
            }
            dims[k] += s[k];
        }
        int inner = 1;
        for (int d = k + 1; d < rank; d++) inner *= first[d];
        _blockLengths = inputShapes.Select(s => s[k] * inner).ToArray();
        _outputBlock = dims[k] * inner;
        return new Shape(dims);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var y = output.Span;
        int outer = _outputBlock == 0 ? 0 : output.Length / _outputBlock;
        for (int o = 0; o < outer; o++)
        {
            int at = o * _outputBlock;
            for (int i = 0; i < inputs.Length; i++)
            {
                int len = _blockLengths[i];
                inputs[i].Span.Slice(o * len, len).CopyTo(y.Slice(at, len));
                at += len;
            }
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var dy = outputGrad.Span;
        int outer = _outputBlock == 0 ? 0 : output.Length / _outputBlock;
        for (int o = 0; o < outer; o++)
        {
            int at = o * _outputBlock;
            for (int i = 0; i < inputs.Length; i++)
            {
                int len = _blockLengths[i];
                if (inputGrads[i] is { } dx) dy.Slice(at, len).CopyTo(dx.Span.Slice(o * len, len));
                at += len;
            }
        }
    }

    public override void WriteConfig(JsonObject config) => config["axis"] = Axis;

    internal static Concatenate FromConfig(LayerConfig c) => new(c.GetInt("axis", -1), c.Name);
}
