using Graft.Layers;
using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// A symbolic tensor: the output of one layer applied to other nodes (Keras's KerasTensor). Models are
/// built by calling layers on nodes and naming the input and output nodes.
/// </summary>
public sealed class Node
{
    internal Node(Layer layer, Node[] inputs)
    {
        Layer = layer;
        Inputs = inputs;
    }

    public Layer Layer { get; }
    public IReadOnlyList<Node> Inputs { get; }
    /// <summary>Per-sample output shape (no batch dimension).</summary>
    public Shape Shape => Layer.OutputShape;
    public string Name => Layer.Name;
    public override string ToString() => $"{Layer.Name}{Shape}";
}

public static class LayerCalls
{
    /// <summary>Applies <paramref name="layer"/> to symbolic inputs, building its weights for their shapes.</summary>
    public static Node Call(this Layer layer, params Node[] inputs) => layer.Call(null, inputs);

    public static Node Call(this Layer layer, Random? rng, params Node[] inputs)
    {
        layer.Build(inputs.Select(n => n.Shape).ToArray(), rng);
        return new Node(layer, inputs);
    }

    /// <summary>A model input of per-sample shape <paramref name="shape"/> (H, W, C for images).</summary>
    public static Node Input(Shape shape, string? name = null) => new(new InputLayer(shape, name), Array.Empty<Node>());

    public static Node Input(params int[] shape) => Input(new Shape(shape));
}
