using Graft.Import.TfJs;

namespace Graft.Models;

/// <summary>
/// Named pre-trained models with a local cache. A model is fetched on first use where the network allows
/// (verified against its pinned hash and renamed into the cache only once complete); otherwise the error says
/// how to add it by hand with <see cref="Add"/>. Any other TensorFlow.js layers model loads with <see cref="LoadFromPath"/>.
/// </summary>
public sealed class ModelZoo
{
    public ModelZoo(ModelZooOptions? options = null)
    {
        Options = options ?? new ModelZooOptions();
        CacheDir = CacheDirectory.Resolve(Options.CacheDir);
    }

    public ModelZooOptions Options { get; }
    public string CacheDir { get; }

    public static IReadOnlyList<ZooEntry> Entries => ZooCatalog.Entries;

    /// <summary>The folder holding the model's files in the cache (it may not exist yet).</summary>
    public string PathOf(string name)
    {
        var entry = ZooCatalog.Get(name);
        return entry.Source switch
        {
            NpmSource npm => Path.Combine(NpmFetcher.ExtractedRoot(CacheDir, npm), npm.ModelFolder),
            _ => Path.Combine(CacheDir, entry.Name),
        };
    }

    public bool IsCached(string name) => Directory.Exists(PathOf(name));

    /// <summary>Makes sure the model's files are in the cache, fetching them if needed; returns their folder.</summary>
    public async Task<string> EnsureAsync(string name, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var entry = ZooCatalog.Get(name);
        var folder = PathOf(name);
        if (Directory.Exists(folder)) return folder;
        if (!Options.AllowDownload)
            throw new ModelNotAvailableException(name, "downloads are disabled.", HowToAdd(entry));
        switch (entry.Source)
        {
            case TfJsFolderSource src:
                var mirror = Environment.GetEnvironmentVariable("GRAFT_MODEL_MIRROR");
                var baseUrl = Options.MirrorUrl ?? (string.IsNullOrEmpty(mirror) ? src.PublicBaseUrl : mirror);
                try
                {
                    await TfJsFolderFetcher.DownloadAsync(entry, src, baseUrl, folder, Options.DownloadTimeout, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when ((e is HttpRequestException or TaskCanceledException or IOException) && !cancellationToken.IsCancellationRequested)
                {
                    throw new ModelNotAvailableException(name, $"downloading from {baseUrl} failed ({e.Message}).", HowToAdd(entry), e);
                }
                break;
            case NpmSource npm:
                await NpmFetcher.EnsureAsync(entry, npm, CacheDir, Options.NpmCommand, Options.NpmTimeout, progress, cancellationToken).ConfigureAwait(false);
                break;
        }
        return Directory.Exists(folder) ? folder
            : throw new ModelNotAvailableException(name, $"the fetched files do not contain {folder}.", HowToAdd(entry));
    }

    /// <summary>
    /// Adds a model obtained by hand: a folder with model.json and its shards (class names beside it or in
    /// metadata.json), or for npm-packaged models the .tgz. The files are verified against the pinned hash and
    /// copied into the cache; returns the cached folder. This is what `graft models add NAME PATH` runs.
    /// </summary>
    public string Add(string name, string path)
    {
        var entry = ZooCatalog.Get(name);
        switch (entry.Source)
        {
            case TfJsFolderSource src:
                TfJsFolderFetcher.AddFromFolder(entry, src, path, Path.Combine(CacheDir, entry.Name));
                break;
            case NpmSource npm:
                NpmFetcher.Install(entry, npm, path, CacheDir, copyTarball: true);
                break;
        }
        return PathOf(name);
    }

    /// <summary>Loads a zoo model, fetching it first if needed.</summary>
    public async Task<PretrainedModel> LoadAsync(string name, LoadOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = await EnsureAsync(name, progress, cancellationToken).ConfigureAwait(false);
        return LoadCached(ZooCatalog.Get(name), folder, options ?? LoadOptions.Full);
    }

    /// <summary>Synchronous <see cref="LoadAsync"/>.</summary>
    public PretrainedModel Load(string name, LoadOptions? options = null, IProgress<string>? progress = null) =>
        LoadAsync(name, options, progress).GetAwaiter().GetResult();

    /// <summary>
    /// Loads any TensorFlow.js layers model (model.json, nsfwjs model.min.js, or a folder holding one). Pass the
    /// preprocessing its weights expect when known, so inputs can be checked against it.
    /// </summary>
    public static PretrainedModel LoadFromPath(string path, LoadOptions? options = null, Preprocessing? preprocessing = null, IReadOnlyList<string>? labels = null)
    {
        var full = TfJsLayersModel.Load(path);
        options ??= LoadOptions.Full;
        var trunkEnd = BlockTable.Detect(full) switch
        {
            Architecture.MobileNetV1 => "conv_pw_13_relu",
            Architecture.MobileNetV2 => "out_relu",
            Architecture.InceptionV3 => "mixed10",
            _ => null,
        };
        return new PretrainedModel(PretrainedModel.Cut(full, options, trunkEnd), null, preprocessing, labels);
    }

    private static PretrainedModel LoadCached(ZooEntry entry, string folder, LoadOptions options)
    {
        var full = TfJsLayersModel.Load(folder);
        var labels = entry.FixedLabels ?? ReadLabels(Path.Combine(folder, TfJsFolderFetcher.LabelsFileName));
        return new PretrainedModel(PretrainedModel.Cut(full, options, entry.TrunkEnd), entry, entry.Preprocessing, labels);
    }

    private static IReadOnlyList<string>? ReadLabels(string file) =>
        File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToList() : null;

    private string HowToAdd(ZooEntry entry) => entry.Source switch
    {
        NpmSource npm => NpmFetcher.Hint(entry, npm),
        _ => $"Hint: download {entry.Provenance.Url} and the shard files it lists into one folder, then run " +
             $"`graft models add {entry.Name} <folder>` (library: ModelZoo.Add); the files are checked against {entry.Provenance.Hash}. Cache: {CacheDir}.",
    };
}
