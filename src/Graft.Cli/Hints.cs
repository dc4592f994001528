using Graft.Data.Images;
using Graft.Data.Loading;
using Graft.Models;
using Graft.Saving;

namespace Graft.Cli;

/// <summary>The one-line hint printed under an error, by kind of error.</summary>
internal static class Hints
{
    public static string For(Exception e) => e switch
    {
        ModelNotAvailableException => "see `graft models` for the zoo and how to add a model by hand",
        DatasetValidationException => "fix or remove the listed files, or rerun with --skip-bad to train on the rest",
        ImageDecodeException => "the file is not a readable image; --skip-bad leaves such files out",
        ModelFolderException => "re-save the model with `graft train`, or point at the folder it wrote",
        DirectoryNotFoundException or FileNotFoundException => "check the path",
        KeyNotFoundException => "`graft inspect MODEL` lists the layer and block names",
        _ => "rerun with --verbose for details",
    };
}
