using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's Softmax layer over the last axis (the only axis Graft supports).</summary>
public sealed class Softmax : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.Output;

    public Softmax(int axis = -1, string? name = null) : base(name) => Axis = axis;

    public int Axis { get; }
    public override string ClassName => "Softmax";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank < 1) throw ShapeError("(..., classes)", s);
        if (Axis != -1 && Axis != s.Rank)
            throw new NotSupportedException($"Softmax '{Name}' works only on the last axis. Expected axis -1 or {s.Rank} for inputs of rank {s.Rank + 1}. Received: axis={Axis}.");
        return s;
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        Activations.Forward(ActivationKind.Softmax, inputs[0].Span, output.Span, OutputShape[-1]);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
            Activations.Backward(ActivationKind.Softmax, inputs[0].Span, output.Span, outputGrad.Span, dx.Span, OutputShape[-1]);
    }

    public override void WriteConfig(JsonObject config) => config["axis"] = Axis;

    internal static Softmax FromConfig(LayerConfig c)
    {
        if (c.Json["axis"] is JsonArray arr)
        {
            if (arr.Count != 1 || arr[0] is not JsonValue v || !v.TryGetValue<int>(out int single))
                throw c.Error("axis", "one integer (Graft applies softmax on the last axis only)");
            return new Softmax(single, c.Name);
        }
        return new Softmax(c.GetInt("axis", -1), c.Name);
    }
}
