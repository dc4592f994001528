using Graft.Graph;

namespace Graft.Import.TfJs;

/// <summary>
/// Imports TensorFlow.js layers models (the Keras topology plus binary weight shards) as Graft models.
/// Nothing in a model file is executed: layers come from <see cref="Graft.Layers.LayerRegistry"/> by class name.
/// </summary>
public static class TfJsLayersModel
{
    /// <summary>
    /// Loads a model from a model.json, an nsfwjs-style model.min.js, or a folder holding either, with its
    /// weights. Malformed or unsupported files raise <see cref="ModelFormatException"/>.
    /// </summary>
    public static Model Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var artifacts = ModelArtifacts.Open(path);
        var model = TopologyBuilder.Build(artifacts.Root, artifacts.FilePath);
        WeightBinder.Load(model, artifacts);
        return model;
    }

    /// <summary>Builds the model's layers from the topology with freshly initialized weights (the shards are not read).</summary>
    public static Model LoadTopology(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var artifacts = ModelArtifacts.Open(path);
        return TopologyBuilder.Build(artifacts.Root, artifacts.FilePath);
    }
}
