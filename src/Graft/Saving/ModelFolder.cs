using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Graph;

namespace Graft.Saving;

/// <summary>
/// A trained model on disk: <c>architecture.json</c>, <c>weights.safetensors</c>, <c>classes.json</c>,
/// <c>preprocessing.json</c>, and <c>manifest.json</c> with the SHA-256 of each. Loading checks the hashes,
/// that every weight exists with its shape and that the class list fits the output, and refuses a folder
/// whose files disagree. Saving writes a sibling folder and swaps it in, so a crash leaves the old model.
/// </summary>
public static class ModelFolder
{
    public const string Format = "graft-model";
    private static readonly string[] s_files = { "architecture.json", "weights.safetensors", "classes.json", "preprocessing.json" };

    public static void Save(string directory, Model model, IReadOnlyList<string> classNames, JsonObject preprocessing)
    {
        var target = Path.GetFullPath(directory);
        var staging = target.TrimEnd(Path.DirectorySeparatorChar) + ".saving";
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        Directory.CreateDirectory(staging);
        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(staging, "architecture.json"), ArchitectureJson.ToJson(model).ToJsonString(indented));
        SafeTensorsFile.Write(Path.Combine(staging, "weights.safetensors"),
            model.Parameters.Select(p => new SafeTensorsFile.Entry(p.FullName, p.Shape.ToArray(), p.Value.ToArray())));
        File.WriteAllText(Path.Combine(staging, "classes.json"), new JsonArray(classNames.Select(c => (JsonNode)c).ToArray()).ToJsonString(indented));
        File.WriteAllText(Path.Combine(staging, "preprocessing.json"), preprocessing.ToJsonString(indented));
        var files = new JsonObject();
        foreach (var f in s_files) files[f] = Sha256(Path.Combine(staging, f));
        File.WriteAllText(Path.Combine(staging, "manifest.json"), new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["created"] = DateTimeOffset.UtcNow.ToString("O"),
            ["files"] = files,
        }.ToJsonString(indented));

        // Swap: the old folder is moved aside before the new one takes its name, then removed.
        var old = target.TrimEnd(Path.DirectorySeparatorChar) + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(staging, target);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    public static SavedModel Load(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such model folder.");
        var manifestPath = Path.Combine(dir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new ModelFolderException(dir, "manifest.json is missing; this is not a model saved by Graft");
        var manifest = ParseObject(manifestPath);
        if (manifest["format"]?.GetValue<string>() != Format) throw new ModelFolderException(dir, "manifest.json does not describe a Graft model");
        foreach (var f in s_files)
        {
            var path = Path.Combine(dir, f);
            if (!File.Exists(path)) throw new ModelFolderException(dir, $"{f} is missing");
            var expected = manifest["files"]?[f]?.GetValue<string>();
            if (expected != Sha256(path)) throw new ModelFolderException(dir, $"{f} does not match the hash in manifest.json (the files come from different saves, or one was edited)");
        }
        var architecturePath = Path.Combine(dir, "architecture.json");
        var model = ArchitectureJson.FromJson(ParseObject(architecturePath), architecturePath);
        var (tensors, _) = SafeTensorsFile.Read(Path.Combine(dir, "weights.safetensors"));
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var p in model.Parameters)
        {
            if (!byName.Remove(p.FullName, out var t)) throw new ModelFolderException(dir, $"weights.safetensors has no weight '{p.FullName}'");
            if (!t.Shape.SequenceEqual(p.Shape.ToArray()))
                throw new ModelFolderException(dir, $"weight '{p.FullName}' has shape ({string.Join(", ", t.Shape)}) but the architecture needs {p.Shape}");
            t.Data.CopyTo(p.Value.Span);
        }
        if (byName.Count > 0) throw new ModelFolderException(dir, $"weights.safetensors has weights the architecture does not use: {string.Join(", ", byName.Keys.Take(5))}");
        var classes = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "classes.json")))?.AsArray().Select(n => n!.GetValue<string>()).ToArray()
            ?? throw new ModelFolderException(dir, "classes.json is not a list of names");
        int outputs = model.Outputs[0].Shape[-1];
        if (classes.Length != outputs) throw new ModelFolderException(dir, $"classes.json lists {classes.Length} classes but the model has {outputs} outputs");
        return new SavedModel(model, classes, ParseObject(Path.Combine(dir, "preprocessing.json")), dir);
    }

    private static JsonObject ParseObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new ModelFolderException(Path.GetDirectoryName(path)!, $"{Path.GetFileName(path)} is not a JSON object");
        }
        catch (JsonException e) { throw new ModelFolderException(Path.GetDirectoryName(path)!, $"{Path.GetFileName(path)} is not valid JSON ({e.Message})"); }
    }

    internal static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}

public sealed record SavedModel(Model Model, IReadOnlyList<string> ClassNames, JsonObject Preprocessing, string Directory);

public sealed class ModelFolderException : IOException
{
    public ModelFolderException(string directory, string reason) : base($"{directory}: cannot load the model: {reason}.")
    {
        Directory = directory;
        Reason = reason;
    }

    public string Directory { get; }
    public string Reason { get; }
}
