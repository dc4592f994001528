using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// A weight of a layer with its gradient. <see cref="FullName"/> ("block_3_depthwise/depthwise_kernel") is the
/// stable name every traversal uses: optimizer, freezing, saving, importing and summaries.
/// </summary>
public sealed class Parameter
{
    internal Parameter(Layer owner, string name, Shape shape, bool isTrainableWeight)
    {
        Owner = owner;
        Name = name;
        Shape = shape;
        IsTrainableWeight = isTrainableWeight;
        Value = new Tensor(shape);
        Grad = new Tensor(shape);
    }

    public Layer Owner { get; }
    /// <summary>The weight's own name within its layer, e.g. "kernel", "moving_mean".</summary>
    public string Name { get; }
    public string FullName => Owner.Name + "/" + Name;
    public Shape Shape { get; }
    public Tensor Value { get; internal set; }
    public Tensor Grad { get; internal set; }

    /// <summary>False for state that gradients never touch (BatchNorm's moving statistics).</summary>
    public bool IsTrainableWeight { get; }

    /// <summary>True when an optimizer should update it: a trainable weight of a trainable layer.</summary>
    public bool Trainable => IsTrainableWeight && Owner.Trainable;

    /// <summary>L2 penalty factor from the model file or the user (Keras kernel_regularizer l2); 0 when none.</summary>
    public float L2 { get; set; }
    /// <summary>L1 penalty factor (Keras kernel_regularizer l1); 0 when none.</summary>
    public float L1 { get; set; }

    public override string ToString() => $"{FullName} {Shape}";
}
