using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Keras's Reshape to target_shape (without the batch axis); one dimension may be −1, inferred from the size.</summary>
public sealed class Reshape : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public Reshape(int[] targetShape, string? name = null) : base(name)
    {
        if (targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d == 0 || d < -1))
            throw new ArgumentException($"Invalid value received for argument `target_shape` of Reshape '{Name}'. Expected positive sizes with at most one -1. Received: ({string.Join(", ", targetShape)}).");
        TargetShape = (int[])targetShape.Clone();
    }

    public IReadOnlyList<int> TargetShape { get; }
    public override string ClassName => "Reshape";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        var dims = TargetShape.ToArray();
        long known = dims.Where(d => d != -1).Aggregate(1L, (a, d) => a * d);
        int free = Array.IndexOf(dims, -1);
        if (free >= 0 && known > 0 && s.Size % known == 0) dims[free] = (int)(s.Size / known);
        else if (free >= 0 || known != s.Size)
            throw ShapeError($"{(free >= 0 ? "a multiple of " + known : known.ToString())} values per sample to fill target_shape ({string.Join(", ", TargetShape)})", s,
                $"the input has {s.Size} values per sample.");
        return new Shape(dims);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training) => output.CopyFrom(inputs[0]);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads) => inputGrads[0]?.CopyFrom(outputGrad);

    public override void WriteConfig(JsonObject config) => config["target_shape"] = new JsonArray(TargetShape.Select(d => (JsonNode?)d).ToArray());

    internal static Reshape FromConfig(LayerConfig c)
    {
        if (c.Json["target_shape"] is not JsonArray arr || arr.Any(e => e is not JsonValue v || !v.TryGetValue<int>(out _)))
            throw c.Error("target_shape", "a list of integers");
        return new Reshape(arr.Select(e => e!.GetValue<int>()).ToArray(), c.Name);
    }
}
