using System.Text.Json.Nodes;

namespace Graft.Layers;

/// <summary>
/// Maps Keras class names to Graft layers. Adding an importable layer is one line here plus the layer's file.
/// Only registered classes can be built from a file: nothing in a model file is ever executed.
/// </summary>
public static class LayerRegistry
{
    private static readonly Dictionary<string, Func<LayerConfig, Layer>> s_factories = new(StringComparer.Ordinal)
    {
        ["InputLayer"] = c => new InputLayer(InputLayer.ShapeFromConfig(c), c.Name),
        ["Dense"] = Dense.FromConfig,
        ["Activation"] = Activation.FromConfig,
        ["Conv2D"] = Conv2D.FromConfig,
        ["DepthwiseConv2D"] = DepthwiseConv2D.FromConfig,
        ["SeparableConv2D"] = SeparableConv2D.FromConfig,
        ["ZeroPadding2D"] = ZeroPadding2D.FromConfig,
        ["BatchNormalization"] = BatchNormalization.FromConfig,
        ["MaxPooling2D"] = MaxPooling2D.FromConfig,
        ["AveragePooling2D"] = AveragePooling2D.FromConfig,
        ["GlobalAveragePooling2D"] = GlobalAveragePooling2D.FromConfig,
        ["GlobalMaxPooling2D"] = GlobalMaxPooling2D.FromConfig,
        ["Add"] = Add.FromConfig,
        ["Multiply"] = Multiply.FromConfig,
        ["Concatenate"] = Concatenate.FromConfig,
        ["Flatten"] = Flatten.FromConfig,
        ["Reshape"] = Reshape.FromConfig,
        ["Dropout"] = Dropout.FromConfig,
        ["ReLU"] = ReLU.FromConfig,
        ["LeakyReLU"] = LeakyReLU.FromConfig,
        ["Softmax"] = Softmax.FromConfig,
        ["Rescaling"] = Rescaling.FromConfig,
    };

    public static IReadOnlyCollection<string> ClassNames => s_factories.Keys;

    public static bool IsKnown(string className) => s_factories.ContainsKey(className);

    public static Layer Create(string className, string name, JsonObject config)
    {
        if (className == "Lambda")
            throw new NotSupportedException($"Layer '{name}' is a Lambda layer: it holds code, and Graft never runs code from a model file.");
        if (!s_factories.TryGetValue(className, out var factory))
            throw new NotSupportedException($"Layer '{name}' has class '{className}', which Graft does not support. Supported: {string.Join(", ", s_factories.Keys.Order())}.");
        return factory(new LayerConfig(className, name, config));
    }

    /// <summary>Registers a layer class (for users' own layers).</summary>
    public static void Register(string className, Func<LayerConfig, Layer> factory) => s_factories[className] = factory;
}
