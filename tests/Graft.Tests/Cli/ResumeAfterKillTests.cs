using System.Diagnostics;
using Graft.Models;
using Graft.Tests.Support;

namespace Graft.Tests.Cli;

/// <summary>
/// `graft train` killed with SIGKILL mid-run, then rerun with --resume, ends with exactly the weights of a run
/// that was never interrupted (fixed seed): checkpoints are atomic and hold everything the run depends on.
/// </summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-kill-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private Process Start(string data, string output, bool resume)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["GRAFT_CACHE"] = Path.Combine(_dir, "cache");
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Graft.Cli.dll"), "train", data, "--out", output, "--strategy", "head",
                     "--augment", "--epochs", "4", "--batch-size", "8", "--seed", "5" })
            psi.ArgumentList.Add(a);
        if (resume) psi.ArgumentList.Add("--resume");
        var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEndAsync();
        return p;
    }

    [Fact]
    public void KilledRunResumesToTheSameWeights()
    {
        new ModelZoo(new ModelZooOptions { CacheDir = Path.Combine(_dir, "cache", "models"), AllowDownload = false })
            .Add("mobilenet_v1_0.75", SharedData.PathTo("models", "mobilenet_v1_0.75_224"));
        var data = SyntheticImages.Write(Path.Combine(_dir, "data"), classes: 2, trainPerClass: 24, valPerClass: 4, size: 32);

        var straight = Path.Combine(_dir, "straight");
        using (var p = Start(data, straight, resume: false))
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(4)) && p.ExitCode == 0, "the uninterrupted run failed");

        var killed = Path.Combine(_dir, "killed");
        var checkpoint = Path.Combine(killed + ".checkpoints", "head.ckpt");
        using (var p = Start(data, killed, resume: false))
        {
            var sw = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !p.HasExited && sw.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
            Assert.True(File.Exists(checkpoint), "no checkpoint appeared before the run ended");
            p.Kill(); // SIGKILL on Linux: no handlers run
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "weights.safetensors")), "the killed run should not have finished");
        using (var p = Start(data, killed, resume: true))
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(4)) && p.ExitCode == 0, "the resumed run failed");

        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "weights.safetensors")), File.ReadAllBytes(Path.Combine(killed, "weights.safetensors")));
    }
}
