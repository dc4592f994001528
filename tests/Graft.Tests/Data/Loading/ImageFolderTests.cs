using Graft.Data.Loading;
using Graft.Tests.Data.Support;
using Graft.Tests.Support;

namespace Graft.Tests.Data.Loading;

public class ImageFolderTests
{
    [Fact]
    public void UnsplitFolder_IsSplitPerClass_Seeded_AndSortedClassNames()
    {
        using var ds = new TempDataset();
        ds.Images("tulip", 10).Images("Daisy", 20).Images("rose", 5);
        var splits = ImageFolder.Load(ds.Root, new ImageFolderOptions { ValidationSplit = 0.2, Seed = 42 });
        Assert.Equal(["Daisy", "rose", "tulip"], splits.ClassNames); // ordinal: upper case first
        Assert.Equal([16, 4, 8], splits.Train.ClassCounts());
        Assert.Equal([4, 1, 2], splits.Validation.ClassCounts());
        Assert.Empty(splits.Train.Samples.Select(s => s.Path).Intersect(splits.Validation.Samples.Select(s => s.Path)));
        Assert.All(splits.Train.Samples, s => Assert.Equal(splits.ClassNames[s.Label], Path.GetFileName(Path.GetDirectoryName(s.Path))));
    }

    [Fact]
    public void Split_IsIdenticalAcrossRunsAndCreationOrders_AndChangesWithTheSeed()
    {
        using var a = new TempDataset();
        using var b = new TempDataset();
        a.Images("x", 30).Images("y", 30);
        // Same names and bytes, created in the reverse order (classes and files).
        foreach (var cls in new[] { "y", "x" })
            foreach (var file in Directory.GetFiles(Path.Combine(a.Root, cls)).Reverse())
                b.Write(Path.Combine(cls, Path.GetFileName(file)), File.ReadAllBytes(file));
        static string[] ValNames(string root, int seed) => ImageFolder.Load(root, new ImageFolderOptions { Seed = seed })
            .Validation.Samples.Select(s => Path.GetRelativePath(root, s.Path)).ToArray();
        Assert.Equal(ValNames(a.Root, 42), ValNames(a.Root, 42));
        Assert.Equal(ValNames(a.Root, 42), ValNames(b.Root, 42));
        Assert.NotEqual(ValNames(a.Root, 42), ValNames(a.Root, 7));
    }

    [Fact]
    public void EmptyClass_IsAnError_NamingTheClass()
    {
        using var ds = new TempDataset();
        ds.Images("cat", 3);
        Directory.CreateDirectory(Path.Combine(ds.Root, "dog"));
        File.WriteAllText(Path.Combine(ds.Root, "dog", "notes.txt"), "not an image");
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Load(ds.Root));
        Assert.Contains("dog", e.Message);
    }

    [Fact]
    public void PresplitFolder_UsesTrainValTest_AndRejectsUnknownValClasses()
    {
        using var ds = new TempDataset();
        ds.Images("train/a", 4).Images("train/b", 3).Images("val/a", 2).Images("val/b", 1).Images("test/b", 2);
        var splits = ImageFolder.Load(ds.Root);
        Assert.Equal([4, 3], splits.Train.ClassCounts());
        Assert.Equal([2, 1], splits.Validation.ClassCounts());
        Assert.Equal([0, 2], splits.Test!.ClassCounts());
        ds.Images("val/c", 1);
        Assert.Contains("c", Assert.Throws<DatasetException>(() => ImageFolder.Load(ds.Root)).Message);
    }

    [Fact]
    public void Duplicates_AcrossClasses_LandInOneSplit_AndAreReported()
    {
        using var ds = new TempDataset();
        ds.Images("a", 10).Images("b", 10);
        // Every file of a copied into b under other names: with a 50 % split some copies would straddle.
        foreach (var f in Directory.GetFiles(Path.Combine(ds.Root, "a")))
            ds.Write(Path.Combine("b", "copy_" + Path.GetFileName(f)), File.ReadAllBytes(f));
        // And within one class.
        var twin = File.ReadAllBytes(Path.Combine(ds.Root, "b", "img_000.png"));
        ds.Write(Path.Combine("b", "twin.png"), twin);
        var splits = ImageFolder.Load(ds.Root, new ImageFolderOptions { ValidationSplit = 0.5, Seed = 3 });
        Assert.Equal(11, splits.Duplicates.Count);
        var val = splits.Validation.Samples.Select(s => s.Path).ToHashSet();
        foreach (var g in splits.Duplicates)
        {
            Assert.Single(g.Paths.Select(val.Contains).Distinct());
            Assert.Equal(val.Contains(g.Paths[0]) ? "val" : "train", g.KeptIn);
        }
    }

    [Fact]
    public void PresplitDuplicates_StraddlingTrainAndVal_AreReportedNotMoved()
    {
        using var ds = new TempDataset();
        var f = ds.Image("train/a/one.png");
        ds.Images("train/a", 2);
        ds.Write("val/a/same.png", File.ReadAllBytes(f));
        var g = Assert.Single(ImageFolder.Load(ds.Root).Duplicates);
        Assert.False(g.Moved);
        Assert.Equal(2, g.Paths.Count);
    }

    [Fact]
    public void HiddenFilesAndOtherExtensions_AreIgnored_UpperCaseExtensionsAreNot()
    {
        using var ds = new TempDataset();
        ds.Images("a", 2);
        ds.Write("a/.hidden.png", PngBuilder.Valid(2, 2));
        ds.Write("a/.ipynb_checkpoints/x.png", PngBuilder.Valid(2, 2));
        ds.Write("a/readme.txt", [1, 2, 3]);
        ds.Write("a/nested/UPPER.PNG", PngBuilder.Valid(2, 2));
        var splits = ImageFolder.Load(ds.Root, new ImageFolderOptions { ValidationSplit = 0 });
        Assert.Equal(3, splits.Train.Count);
        Assert.Equal(0, splits.Validation.Count);
    }

    [Fact]
    public void SharedFlowers_LoadsPresplit_WithFiveClasses()
    {
        var splits = ImageFolder.Load(SharedData.PathTo("datasets", "flowers"));
        Assert.Equal(["daisy", "dandelion", "rose", "sunflower", "tulip"], splits.ClassNames);
        Assert.Equal(3449, splits.Train.Count);
        Assert.Equal(868, splits.Validation.Count);
        Assert.Empty(splits.Duplicates);
    }
}
