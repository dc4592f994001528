namespace Graft.Transfer;

/// <summary>How a pre-trained network is reused.</summary>
public enum Strategy
{
    /// <summary>Measure the data and a linear probe, then choose one of the others (and say why).</summary>
    Auto,
    /// <summary>Features once, a logistic regression on them (folded into a Dense layer).</summary>
    Linear,
    /// <summary>Frozen network, a new head trained end to end.</summary>
    Head,
    /// <summary>Head first, then unfreeze the upper blocks with a smaller learning rate; keep the better phase.</summary>
    FineTune,
}

public enum HeadPooling { Avg, Max }

/// <summary>Settings of a transfer run. The defaults work on the shared flowers data without tuning.</summary>
public sealed record TransferOptions
{
    public Strategy Strategy { get; init; } = Strategy.Auto;
    /// <summary>The layer whose output the head reads; defaults to the end of the trunk (or what auto picks).</summary>
    public string? FeatureLayer { get; init; }
    /// <summary>Epochs of head training.</summary>
    public int Epochs { get; init; } = 15;
    public int FineTuneEpochs { get; init; } = 10;
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>The fine-tune's starting rate, decayed to zero along a cosine; defaults to <see cref="LearningRate"/> / 10.</summary>
    public float? FineTuneLearningRate { get; init; }
    /// <summary>A layer or block name: fine-tuning trains it and everything above. Defaults to the last five blocks below the feature layer.</summary>
    public string? UnfreezeFrom { get; init; }
    public int BatchSize { get; init; } = 32;
    public int Seed { get; init; } = 42;
    /// <summary>Random crops, flips, small rotations and colour jitter during training. Off: features are cached.</summary>
    public bool Augment { get; init; }
    /// <summary>With augmentation off: cache each training image's left-right mirror as a second view and train on
    /// either at random each epoch (flip augmentation at the price of one more frozen pass and twice the cache).
    /// Off by default: on MobileNet v1 / flowers it did not help (fine-tune 75.7 % with, 75.9 % without; head
    /// 66.7 % with, 68.0 % without). Leave it off where a mirror changes the label (digits, text).</summary>
    public bool MirrorViews { get; init; }
    public float Dropout { get; init; } = 0.2f;
    public HeadPooling Pooling { get; init; } = HeadPooling.Avg;
    /// <summary>Inverse L2 strength of the linear probe; null chooses it on a holdout of the training set.</summary>
    public double? C { get; init; }
    public int Patience { get; init; } = 3;
    /// <summary>Memory allowed for cached activations (freeze-boundary cache) and decoded images.</summary>
    public long CacheBytes { get; init; } = 4L << 30;
    public bool SkipBadImages { get; init; }
    /// <summary>Label smoothing of the training loss.</summary>
    public float LabelSmoothing { get; init; }
    /// <summary>Per-class loss weights (Keras class_weight), in class order.</summary>
    public float[]? ClassWeights { get; init; }
    /// <summary>Where per-epoch checkpoints go, for resuming an interrupted run.</summary>
    public string? CheckpointDirectory { get; init; }
    public bool Resume { get; init; }
}
