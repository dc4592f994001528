using Graft.Transfer;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>
/// Progress bars with ETA and images/s on a terminal; on a pipe or a CI log, one plain line per finished
/// stage instead, so logs stay readable.
/// </summary>
public static class ConsoleUi
{
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public static void Log(string message)
    {
        if (Interactive) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        else Console.WriteLine(message);
    }

    public static T WithProgress<T>(Func<IProgress<TransferProgress>, T> work)
    {
        if (!Interactive)
        {
            string? last = null;
            var plain = new SyncProgress<TransferProgress>(p =>
            {
                if (p.Done < p.Total || p.Stage == last) return;
                last = p.Stage;
                Console.WriteLine($"{p.Stage}: {p.Total} done" + (p.ImagesPerSecond > 0 ? $", {p.ImagesPerSecond:F0} img/s" : "") + (p.Detail is null ? "" : $" ({p.Detail})"));
            });
            return work(plain);
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SyncProgress<TransferProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                        tasks[p.Stage] = task = ctx.AddTask(Markup.Escape(p.Stage), maxValue: Math.Max(1, p.Total));
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape($"{p.Stage}{(p.ImagesPerSecond > 0 ? $" {p.ImagesPerSecond:F0} img/s" : "")}{(p.Detail is null ? "" : " " + p.Detail)}");
                });
                result = work(progress);
                foreach (var t in tasks.Values) t.Value = t.MaxValue;
            });
        return result;
    }
}
