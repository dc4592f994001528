using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Keras's Rescaling: y = x · scale + offset, e.g. scale 1/127.5 and offset −1 to map pixels to [−1, 1].
/// scale and offset are numbers or, as Keras 3 allows, one value per channel.
/// </summary>
public sealed class Rescaling : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    private float[] _scaleC = Array.Empty<float>(), _offsetC = Array.Empty<float>(), _zeros = Array.Empty<float>();

    public Rescaling(float scale, float offset = 0f, string? name = null) : this(new[] { scale }, new[] { offset }, name) { }

    public Rescaling(float[] scale, float[] offset, string? name = null) : base(name)
    {
        if (scale.Length == 0 || offset.Length == 0)
            throw new ArgumentException($"Rescaling '{Name}': scale and offset need at least one value. Received: {scale.Length} and {offset.Length}.");
        Scale = (float[])scale.Clone();
        Offset = (float[])offset.Clone();
    }

    public IReadOnlyList<float> Scale { get; }
    public IReadOnlyList<float> Offset { get; }
    public override string ClassName => "Rescaling";
    public override bool IsElementwise => true;

    private bool IsScalar => Scale.Count == 1 && Offset.Count == 1;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (!IsScalar)
        {
            int c = s.Rank == 0 ? 1 : s[-1];
            foreach (var (what, v) in new[] { ("scale", Scale), ("offset", Offset) })
                if (v.Count != 1 && v.Count != c)
                    throw ShapeError($"(..., {v.Count}) to match the {v.Count} values of `{what}`", s);
            _scaleC = Enumerable.Range(0, c).Select(i => Scale[Scale.Count == 1 ? 0 : i]).ToArray();
            _offsetC = Enumerable.Range(0, c).Select(i => Offset[Offset.Count == 1 ? 0 : i]).ToArray();
            _zeros = new float[c];
        }
        return s;
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        if (IsScalar)
        {
            TensorPrimitives.Multiply(inputs[0].Span, Scale[0], output.Span);
            if (Offset[0] != 0) TensorPrimitives.Add(output.Span, Offset[0], output.Span);
        }
        else ElementwiseChannels.AffineRows(inputs[0].Span, _scaleC, _offsetC, output.Span, _scaleC.Length, 0, output.Length / _scaleC.Length);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dx) return;
        if (IsScalar) TensorPrimitives.Multiply(outputGrad.Span, Scale[0], dx.Span);
        else ElementwiseChannels.AffineRows(outputGrad.Span, _scaleC, _zeros, dx.Span, _scaleC.Length, 0, dx.Length / _scaleC.Length);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["scale"] = Write(Scale);
        config["offset"] = Write(Offset);
    }

    private static JsonNode Write(IReadOnlyList<float> v) =>
        v.Count == 1 ? JsonValue.Create(KerasNumber.Of(v[0])) : new JsonArray(v.Select(f => (JsonNode?)JsonValue.Create(KerasNumber.Of(f))).ToArray());

    internal static Rescaling FromConfig(LayerConfig c) => new(Read(c, "scale", null), Read(c, "offset", 0f), c.Name);

    private static float[] Read(LayerConfig c, string key, float? fallback)
    {
        if (c.Json[key] is JsonArray arr)
        {
            var values = new float[arr.Count];
            for (int i = 0; i < arr.Count; i++)
                if (arr[i] is not JsonValue v || !v.TryGetValue(out double d)) throw c.Error(key, "a number or a list of numbers");
                else values[i] = (float)d;
            return values.Length > 0 ? values : throw c.Error(key, "a number or a non-empty list of numbers");
        }
        return new[] { c.GetFloat(key, fallback) };
    }
}
