using Graft.Tensors;

namespace Graft.Layers;

/// <summary>The entry of a model: declares the shape of one sample (H, W, C for images).</summary>
public sealed class InputLayer : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.None;

    public InputLayer(Shape shape, string? name = null) : base(name)
    {
        Shape = shape;
        Build(Array.Empty<Shape>());
    }

    public Shape Shape { get; }
    public override string ClassName => "InputLayer";
    public override int MinInputs => 0;
    public override int MaxInputs => 0;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => Shape;

    public override void Forward(Tensor[] inputs, Tensor output, bool training) =>
        throw new InvalidOperationException("An input layer is fed by the model, not run.");

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads) { }

    public override void WriteConfig(System.Text.Json.Nodes.JsonObject config)
    {
        var arr = new System.Text.Json.Nodes.JsonArray { null };
        foreach (var d in Shape.Dims) arr.Add(d);
        config["batch_input_shape"] = arr;
    }

    /// <summary>Reads Keras's batch_input_shape ([null, 224, 224, 3]) or batch_shape.</summary>
    internal static Shape ShapeFromConfig(LayerConfig c)
    {
        string key = c.Has("batch_input_shape") ? "batch_input_shape" : c.Has("batch_shape") ? "batch_shape" : throw c.Error("batch_input_shape", "a list like [null, 224, 224, 3]");
        if (c.Json[key] is not System.Text.Json.Nodes.JsonArray arr || arr.Count < 2)
            throw c.Error(key, "a list like [null, 224, 224, 3]");
        var dims = new int[arr.Count - 1];
        for (int i = 1; i < arr.Count; i++)
        {
            if (arr[i] is not System.Text.Json.Nodes.JsonValue v || !v.TryGetValue<int>(out dims[i - 1]) || dims[i - 1] <= 0)
                throw c.Error(key, "a list of positive sizes after the batch dimension (variable sizes are not supported)");
        }
        return new Shape(dims);
    }
}
