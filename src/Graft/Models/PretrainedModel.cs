using Graft.Graph;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Models;

/// <summary>
/// A loaded pre-trained network with what is needed to use it correctly: its input contract, class names
/// and block table. <see cref="Entry"/> is null for models loaded from a path.
/// </summary>
public sealed class PretrainedModel
{
    private bool _inputChecked;

    internal PretrainedModel(Model model, ZooEntry? entry, Preprocessing? preprocessing, IReadOnlyList<string>? labels)
    {
        Model = model;
        Entry = entry;
        Preprocessing = preprocessing;
        Labels = labels;
        Blocks = entry is null ? BlockTable.For(model) : BlockTable.For(model, entry.Architecture);
    }

    public Model Model { get; }
    public ZooEntry? Entry { get; }

    /// <summary>The input contract of the weights; null when unknown (a model loaded from a path without one).</summary>
    public Preprocessing? Preprocessing { get; }

    /// <summary>Class names of the original classifier, in output order; null when unknown.</summary>
    public IReadOnlyList<string>? Labels { get; }

    public BlockTable Blocks { get; }

    /// <summary>Where mismatch warnings of <see cref="Predict"/> go; Console.Error by default, null to silence.</summary>
    public TextWriter? WarningWriter { get; set; } = Console.Error;

    /// <summary>Compares a batch's value range with the preprocessing contract (see <see cref="InputRangeCheck"/>).</summary>
    public InputRangeReport CheckInput(Tensor batch) =>
        Preprocessing is null
            ? new InputRangeReport(float.NaN, float.NaN, float.NaN, float.NaN, null)
            : InputRangeCheck.Check(Preprocessing, batch);

    /// <summary>Runs inference; the first batch is checked against the preprocessing contract and a mismatch is reported once.</summary>
    public Tensor Predict(Tensor batch, int batchSize = 32)
    {
        if (!_inputChecked)
        {
            _inputChecked = true;
            if (CheckInput(batch).Warning is { } w) WarningWriter?.WriteLine($"graft: {Model.Name}: {w}");
        }
        return Model.Predict(batch, batchSize);
    }

    /// <summary>
    /// Applies <paramref name="options"/> to a full network: cut at <see cref="LoadOptions.CutAt"/> or, without the
    /// top, at <paramref name="trunkEnd"/>, then append the requested global pooling.
    /// </summary>
    internal static Model Cut(Model full, LoadOptions options, string? trunkEnd)
    {
        string? at = options.CutAt ?? (options.IncludeTop ? null : trunkEnd
            ?? throw new ArgumentException($"Model '{full.Name}' has no known trunk end; name the layer to cut at with LoadOptions.CutAt."));
        if (at is null) return full;
        var cut = full.Cut(at);
        if (options.Pooling == Pooling.None) return cut;
        var features = cut.Outputs[0];
        if (features.Shape.Rank != 3)
            throw new ArgumentException($"Global pooling needs an (H, W, C) feature map; layer '{at}' gives {features.Shape}. Use Pooling.None.");
        var (cls, name) = options.Pooling == Pooling.Avg ? ("GlobalAveragePooling2D", "avg_pool") : ("GlobalMaxPooling2D", "max_pool");
        if (full.HasLayer(name)) name = $"graft_{name}";
        // Created through the registry by Keras class name, like imported layers.
        var pool = LayerRegistry.Create(cls, name, new System.Text.Json.Nodes.JsonObject { ["data_format"] = "channels_last" });
        return new Model(cut.Inputs, new[] { pool.Call(features) }, full.Name);
    }
}
