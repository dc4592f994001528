namespace Graft.Models;

/// <summary>The models Graft can fetch by name, with their pinned hashes.</summary>
public static class ZooCatalog
{
    private const string NsfwjsNotes =
        "The trunk started from ImageNet weights, but nsfwjs fine-tuned its upper blocks for NSFW detection and stores " +
        "the weights uint8-quantized. Its last-layer features transfer poorly to other tasks: a linear probe on the shared " +
        "flowers dataset reaches about 53 %, against about 66 % from block_10's output; cut lower (CutAt) for transfer.";

    private static readonly NpmSource s_nsfwjs = new("nsfwjs", "4.4.0",
        "sha512-krC1fgeTLXtZwgdpKJ0jm7hqv0gTSRQQRL+FhOaxaJ9Wj92t42BO3csO2odwgTAgZgf2RvkwPtp0R8Aa7dc+MA==", "");

    private static readonly string[] s_nsfwClasses = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"];

    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        new ZooEntry(
            "mobilenet_v1_0.75",
            "Keras MobileNet v1 (alpha 0.75, 224x224) with its ImageNet classifier (1,000 classes, top-1 about 68 %)",
            Architecture.MobileNetV1, 224, Preprocessing.MinusOneToOne,
            new Provenance(
                "Google's Keras MobileNet v1 ImageNet weights, converted to a TensorFlow.js layers model by the TensorFlow.js team",
                "Apache-2.0",
                "https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json",
                "sha256:29e269a7736be8d1ee6e3bda4c0ec5979274fefd3af1d26e0870d66cc2e28e94",
                "Hash of model.json followed by its 55 shards in file-name order (`cat model.json group*`)."),
            "conv_pw_13_relu", 1000)
        {
            Source = new TfJsFolderSource("mobilenet_v1_0.75_224", "https://storage.googleapis.com/tfjs-models/tfjs",
                "29e269a7736be8d1ee6e3bda4c0ec5979274fefd3af1d26e0870d66cc2e28e94",
                "imagenet_labels.txt", "4eb3da435cf544e4a6f390f62c84cb9c9bb68cf8b14e97f8a063452382e5efd2"),
        },
        new ZooEntry(
            "nsfwjs-mobilenet_v2",
            "nsfwjs 4.4.0 MobileNetV2 (224x224), 5 classes: Drawing, Hentai, Neutral, Porn, Sexy",
            Architecture.MobileNetV2, 224, Preprocessing.ZeroToOne,
            new Provenance("Infinite Red's nsfwjs 4.4.0 (npm), dist/models/mobilenet_v2", "MIT",
                "https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz", s_nsfwjs.Integrity, NsfwjsNotes),
            "out_relu", 5)
        {
            FixedLabels = s_nsfwClasses,
            Source = s_nsfwjs with { ModelFolder = "package/dist/models/mobilenet_v2" },
        },
        new ZooEntry(
            "nsfwjs-inception_v3",
            "nsfwjs 4.4.0 InceptionV3 (299x299), 5 classes: Drawing, Hentai, Neutral, Porn, Sexy",
            Architecture.InceptionV3, 299, Preprocessing.ZeroToOne,
            new Provenance("Infinite Red's nsfwjs 4.4.0 (npm), dist/models/inception_v3", "MIT",
                "https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz", s_nsfwjs.Integrity, NsfwjsNotes),
            "mixed10", 5)
        {
            FixedLabels = s_nsfwClasses,
            Source = s_nsfwjs with { ModelFolder = "package/dist/models/inception_v3" },
        },
    ];

    /// <summary>The entry named <paramref name="name"/>; the error lists the known names.</summary>
    public static ZooEntry Get(string name) =>
        Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"No zoo model is named '{name}'. Known: {string.Join(", ", Entries.Select(e => e.Name))}. Hint: any TensorFlow.js layers model loads from a path with ModelZoo.LoadFromPath.");
}
