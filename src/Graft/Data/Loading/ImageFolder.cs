using System.Security.Cryptography;

namespace Graft.Data.Loading;

/// <summary>
/// Reads the class-folder convention: either root/{train,val[,test]}/&lt;class&gt;/... already split on disk
/// ("validation" is accepted for "val"; train/ alone is split like an unsplit folder), or root/&lt;class&gt;/...
/// split here: per class (stratified), seeded, over paths sorted ordinally, so the split is the same on every run
/// and whatever order the file system lists files in. Class names are the train folder's sub-folders, sorted
/// ordinally; labels index them. Files are found recursively by extension; hidden files and folders are skipped.
/// Byte-identical files are kept in one split and reported in <see cref="DatasetSplits.Duplicates"/>.
/// </summary>
public static class ImageFolder
{
    public static DatasetSplits Load(string root, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        options ??= new ImageFolderOptions();
        if (options.ValidationSplit is < 0 or >= 1 || double.IsNaN(options.ValidationSplit))
            throw new ArgumentException($"ValidationSplit must be in [0, 1). Received: {options.ValidationSplit}.");
        if (!Directory.Exists(root))
            throw new DatasetException($"Dataset folder {root} does not exist.");

        string train = Path.Combine(root, "train");
        string? val = new[] { "val", "validation" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        string test = Path.Combine(root, "test");
        bool presplit = Directory.Exists(train);
        string classRoot = presplit ? train : root;

        var classNames = ClassFolders(classRoot);
        if (classNames.Count == 0)
            throw new DatasetException($"{classRoot} has no class sub-folders. Expected {root}/<class>/*.jpg or {root}/train/<class>/*.jpg and {root}/val/<class>/*.jpg.");
        var trainFiles = Scan(classRoot, classNames, options, requireEveryClass: true);

        if (presplit && val is not null)
        {
            var valFiles = Scan(val, classNames, options, requireEveryClass: false);
            var testFiles = Directory.Exists(test) ? Scan(test, classNames, options, requireEveryClass: false) : null;
            var splits = new List<(string, List<ImageSample>)> { ("train", trainFiles), ("val", valFiles) };
            if (testFiles is not null) splits.Add(("test", testFiles));
            return new DatasetSplits(Dataset(classNames, trainFiles), Dataset(classNames, valFiles),
                testFiles is null ? null : Dataset(classNames, testFiles), StraddlingDuplicates(splits));
        }

        var (trainPart, valPart, duplicates) = Split(trainFiles, classNames, options);
        var testPart = presplit && Directory.Exists(test) ? Scan(test, classNames, options, requireEveryClass: false) : null;
        return new DatasetSplits(Dataset(classNames, trainPart), Dataset(classNames, valPart),
            testPart is null ? null : Dataset(classNames, testPart), duplicates);
    }

    private static ImageDataset Dataset(IReadOnlyList<string> classNames, List<ImageSample> samples) =>
        new(classNames, samples.OrderBy(s => s.Path, StringComparer.Ordinal).ToArray());

    private static List<string> ClassFolders(string folder) =>
        new DirectoryInfo(folder).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.') && (d.Attributes & FileAttributes.Hidden) == 0)
            .Select(d => d.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<ImageSample> Scan(string folder, IReadOnlyList<string> classNames, ImageFolderOptions options, bool requireEveryClass)
    {
        var known = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var unknown = ClassFolders(folder).Where(n => !known.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new DatasetException($"{folder} has class folders that the training set lacks: {string.Join(", ", unknown)}. Expected only: {string.Join(", ", classNames)}.");
        var extensions = new HashSet<string>(options.Extensions, StringComparer.OrdinalIgnoreCase);
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        var samples = new List<ImageSample>();
        var empty = new List<string>();
        for (int label = 0; label < classNames.Count; label++)
        {
            string dir = Path.Combine(folder, classNames[label]);
            int before = samples.Count;
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.EnumerateFiles(dir, "*", enumeration))
                {
                    // Skip files inside hidden sub-folders (.git, .ipynb_checkpoints) and hidden files on Unix.
                    var relative = Path.GetRelativePath(dir, file);
                    if (relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))) continue;
                    if (extensions.Contains(Path.GetExtension(file))) samples.Add(new ImageSample(file, label));
                }
            }
            if (samples.Count == before) empty.Add(classNames[label]);
        }
        if (requireEveryClass && empty.Count > 0)
            throw new DatasetException($"{(empty.Count == 1 ? "Class" : "Classes")} {string.Join(", ", empty)} in {folder} {(empty.Count == 1 ? "has" : "have")} no images " +
                $"(looked for {string.Join(" ", options.Extensions)}). Hint: remove the empty folder or add images.");
        return samples;
    }

    /// <summary>Per-class seeded split that keeps byte-identical files together.</summary>
    private static (List<ImageSample> Train, List<ImageSample> Val, List<DuplicateGroup> Duplicates) Split(
        List<ImageSample> samples, IReadOnlyList<string> classNames, ImageFolderOptions options)
    {
        var groups = FindDuplicates(samples.Select(s => s.Path));
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < groups.Count; g++)
            foreach (var p in groups[g]) groupOf[p] = g;

        var inVal = new HashSet<string>(StringComparer.Ordinal);
        for (int label = 0; label < classNames.Count; label++)
        {
            var files = samples.Where(s => s.Label == label).Select(s => s.Path).Order(StringComparer.Ordinal).ToList();
            // Units: a file, or all of this class's copies of one duplicate group, taken whole.
            var units = files.GroupBy(f => groupOf.TryGetValue(f, out int g) ? "#" + g : f).Select(u => u.ToArray()).ToArray();
            int target = files.Count < 2 ? 0 : Math.Clamp((int)Math.Round(files.Count * options.ValidationSplit, MidpointRounding.AwayFromZero), 0, files.Count - 1);
            var rng = StableRandom.Derive(options.Seed, StableRandom.Key(classNames[label]));
            rng.Shuffle(units.AsSpan());
            int taken = 0;
            foreach (var unit in units)
            {
                if (taken >= target) break;
                if (taken + unit.Length > target && taken > 0) continue; // a big unit would overshoot: try smaller ones
                foreach (var f in unit) inVal.Add(f);
                taken += unit.Length;
            }
        }

        // A group copied into several classes can still straddle; all copies follow its ordinally first file.
        var duplicates = new List<DuplicateGroup>();
        foreach (var g in groups)
        {
            bool val = inVal.Contains(g[0]);
            foreach (var p in g)
                if (val) inVal.Add(p); else inVal.Remove(p);
            duplicates.Add(new DuplicateGroup(g, val ? "val" : "train", Moved: true));
        }
        var train = samples.Where(s => !inVal.Contains(s.Path)).ToList();
        var valSamples = samples.Where(s => inVal.Contains(s.Path)).ToList();
        return (train, valSamples, duplicates);
    }

    private static List<DuplicateGroup> StraddlingDuplicates(List<(string Name, List<ImageSample> Samples)> splits)
    {
        var splitOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, samples) in splits)
            foreach (var s in samples) splitOf[s.Path] = name;
        return FindDuplicates(splitOf.Keys)
            .Where(g => g.Select(p => splitOf[p]).Distinct().Count() > 1)
            .Select(g => new DuplicateGroup(g, string.Join(", ", g.Select(p => splitOf[p]).Distinct()), Moved: false))
            .ToList();
    }

    /// <summary>Groups of two or more byte-identical, non-empty files, each sorted ordinally; only equal-length files are hashed.</summary>
    internal static List<string[]> FindDuplicates(IEnumerable<string> paths)
    {
        var groups = new List<string[]>();
        foreach (var sameLength in paths.GroupBy(p => new FileInfo(p).Length).Where(g => g.Key > 0 && g.Count() > 1))
        {
            foreach (var same in sameLength.GroupBy(Hash).Where(g => g.Count() > 1))
                groups.Add(same.Order(StringComparer.Ordinal).ToArray());
        }
        return groups.OrderBy(g => g[0], StringComparer.Ordinal).ToList();
    }

    private static string Hash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable:" + path; // never equal to another file; the loader reports it when decoding
        }
    }
}
