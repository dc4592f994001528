using Graft.Models;
using Graft.Saving;
using Graft.Transfer;

namespace Graft.Cli;

/// <summary>Turns the MODEL argument (a zoo name, a TensorFlow.js model path, or a model Graft saved) into a loaded model.</summary>
public static class ModelSource
{
    public static bool IsSavedModel(string path) => File.Exists(Path.Combine(path, "manifest.json"));

    public static ModelZoo Zoo(Action<string>? log = null) => new(new ModelZooOptions());

    /// <summary>A backbone for training: a zoo name, or a TensorFlow.js model path.</summary>
    public static Backbone LoadBackbone(string nameOrPath, Action<string>? log = null)
    {
        if (ZooCatalog.Entries.Any(e => e.Name == nameOrPath))
        {
            var zoo = Zoo();
            var pretrained = zoo.Load(nameOrPath, LoadOptions.Full, log is null ? null : new Transfer.SyncProgress<string>(log));
            return pretrained.ToBackbone(nameOrPath);
        }
        if (File.Exists(nameOrPath) || Directory.Exists(nameOrPath))
        {
            var pretrained = ModelZoo.LoadFromPath(nameOrPath, LoadOptions.Full, Models.Preprocessing.MinusOneToOne);
            log?.Invoke($"{nameOrPath}: not a zoo model; assuming RGB x/127.5 − 1 preprocessing");
            return pretrained.ToBackbone(Path.GetFileName(Path.TrimEndingDirectorySeparator(nameOrPath)));
        }
        throw new UsageException($"'{nameOrPath}' is neither a zoo model nor a file or folder",
            $"zoo models: {string.Join(", ", ZooCatalog.Entries.Select(e => e.Name))} (see `graft models`)");
    }
}
