using Graft.Cli;

return CommandLine.Run(args);
