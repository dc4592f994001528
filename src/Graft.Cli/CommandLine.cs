namespace Graft.Cli;

/// <summary>Dispatches `graft &lt;command&gt;`; each command is a thin layer over library calls.</summary>
public static class CommandLine
{
    public const int Ok = 0, Failure = 1, Usage = 2, Cancelled = 130;

    public static int Run(string[] args)
    {
        bool verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToArray();
        try
        {
            return args.FirstOrDefault() switch
            {
                "selfcheck" => SelfCheckCommand.Run(args[1..]),
                "train" => TrainCommand.Run(args[1..]),
                "models" => ModelsCommand.Run(args[1..]),
                "predict" => PredictCommand.Run(args[1..]),
                "evaluate" => EvaluateCommand.Run(args[1..]),
                "extract" => ExtractCommand.Run(args[1..]),
                "inspect" => InspectCommand.Run(args[1..]),
                "demo" => DemoCommand.Run(args[1..]),
                null or "help" or "--help" or "-h" => Help(),
                var other => Fail($"unknown command '{other}'", "run `graft help` for the list of commands", Usage),
            };
        }
        catch (UsageException e)
        {
            return Fail(e.Message, e.Hint, Usage);
        }
        catch (OperationCanceledException)
        {
            return Fail("cancelled", "rerun with --resume to continue from the last finished epoch", Cancelled);
        }
        catch (Exception e) when (!verbose)
        {
            return Fail(e.Message, Hints.For(e));
        }
    }

    internal static int Fail(string message, string hint, int code = Failure)
    {
        Console.Error.WriteLine($"graft: error: {message}");
        Console.Error.WriteLine($"  hint: {hint}");
        return code;
    }

    private static int Help()
    {
        Console.WriteLine("""
            graft — transfer learning for .NET

            Commands:
              demo                          train on the embedded sample and print accuracy
              train DATA --out DIR          train a classifier (--model, --strategy auto|linear|head|finetune, --epochs,
                                            --lr, --unfreeze-from, --val-split, --seed, --report, --json, --resume)
              evaluate MODEL_DIR DATA       accuracy, per-class metrics and confusion matrix (--json FILE)
              predict MODEL IMAGE|FOLDER    labels with probabilities (--json)
              extract MODEL DATA --out FILE features of one layer (--layer, --pool avg|max) with their provenance
              inspect MODEL                 layers, blocks, parameter counts and preprocessing
              models [add NAME PATH]        the model zoo and what is cached
              selfcheck                     the engine's self-check (train a tiny network to near-zero loss)

            Options: --verbose (stack traces on errors). docs/cli.md has every option and the --json formats.
            Exit codes: 0 ok, 1 failure, 2 usage error, 130 cancelled.
            """);
        return Ok;
    }
}
