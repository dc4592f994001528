using Graft.Models;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>`graft models` lists the zoo; `graft models add NAME PATH` installs a model from local files (hash-checked).</summary>
internal static class ModelsCommand
{
    public static int Run(string[] args)
    {
        var a = new CliArgs(args, Array.Empty<string>(), Array.Empty<string>());
        var zoo = new ModelZoo();
        if (a.Positionals.Count > 0 && a.Positionals[0] == "add")
        {
            string name = a.Positional(1, "the zoo name (see `graft models`)");
            string path = a.Positional(2, "the folder (model.json and shards) or the npm tarball");
            var installed = zoo.Add(name, path);
            Console.WriteLine($"added {name} to {installed}");
            return CommandLine.Ok;
        }
        if (a.Positionals.Count > 0) throw new UsageException($"unknown models command '{a.Positionals[0]}'", "use `graft models` or `graft models add NAME PATH`");
        var table = new Table().AddColumns("name", "input", "preprocessing", "cached", "description");
        foreach (var e in ModelZoo.Entries)
            table.AddRow(e.Name, $"{e.InputSize}×{e.InputSize}", Markup.Escape(e.Preprocessing.Description), zoo.IsCached(e.Name) ? "yes" : "no", Markup.Escape(e.Description));
        AnsiConsole.Write(table);
        Console.WriteLine($"cache: {zoo.CacheDir}");
        return CommandLine.Ok;
    }
}
