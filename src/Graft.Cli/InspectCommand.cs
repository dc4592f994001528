using System.Text.Json;
using System.Text.Json.Nodes;
using Graft.Layers;
using Graft.Transfer;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>`graft inspect MODEL`: layers (index, name, class, output shape, parameters, trainable), blocks and totals.</summary>
internal static class InspectCommand
{
    public static int Run(string[] args)
    {
        var a = new CliArgs(args, Array.Empty<string>(), new[] { "--json" });
        string name = a.Positional(0, "the model (zoo name, path, or a model folder written by `graft train`)");
        var backbone = ModelSource.IsSavedModel(name) ? null : ModelSource.LoadBackbone(name);
        var model = backbone?.Model ?? Classifier.Load(name).Model;
        var layers = model.Nodes.Select((n, i) => (Index: i, n.Name, n.Layer.ClassName, Shape: n.Shape.ToString(), Params: n.Layer.Parameters.Sum(p => (long)p.Shape.Size), n.Layer.Trainable)).ToArray();
        var summary = model.Summarize();
        if (a.Flag("--json"))
        {
            var doc = new JsonObject
            {
                ["format_version"] = MetricsJson.Version,
                ["name"] = model.Name,
                ["layers"] = new JsonArray(layers.Select(l => (JsonNode)new JsonObject
                {
                    ["index"] = l.Index, ["name"] = l.Name, ["class"] = l.ClassName, ["output_shape"] = l.Shape, ["parameters"] = l.Params, ["trainable"] = l.Trainable,
                }).ToArray()),
                ["blocks"] = new JsonArray((backbone?.Blocks ?? Array.Empty<BackboneBlock>()).Select(b => (JsonNode)new JsonObject
                {
                    ["name"] = b.Name, ["first"] = b.First, ["last"] = b.Last, ["layers"] = b.Layers.Count,
                }).ToArray()),
                ["parameters"] = new JsonObject { ["total"] = summary.Total, ["trainable"] = summary.Trainable, ["frozen"] = summary.Frozen },
            };
            Console.WriteLine(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return CommandLine.Ok;
        }
        var table = new Table().AddColumns("#", "name", "class", "output shape", "parameters", "trainable");
        foreach (var l in layers)
            table.AddRow(l.Index.ToString(), Markup.Escape(l.Name), l.ClassName, l.Shape, l.Params.ToString("N0"), l.Trainable ? "yes" : "no");
        AnsiConsole.Write(table);
        if (backbone is not null)
            Console.WriteLine("blocks: " + string.Join(", ", backbone.Blocks.Select(b => $"{b.Name} ({b.First} … {b.Last})")));
        Console.WriteLine(summary);
        return CommandLine.Ok;
    }
}
