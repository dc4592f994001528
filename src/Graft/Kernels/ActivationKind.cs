namespace Graft.Kernels;

/// <summary>Element-wise activations, named as in Keras.</summary>
public enum ActivationKind
{
    Linear,
    Relu,
    Relu6,
    Sigmoid,
    Tanh,
    Softmax,
    Swish,
    HardSigmoid,
    HardSwish,
    Elu,
    Selu,
    Softplus,
    Gelu,
}

public static class ActivationNames
{
    public static ActivationKind Parse(string name, string context) => name switch
    {
        "linear" or "None" or "" => ActivationKind.Linear,
        "relu" => ActivationKind.Relu,
        "relu6" => ActivationKind.Relu6,
        "sigmoid" => ActivationKind.Sigmoid,
        "tanh" => ActivationKind.Tanh,
        "softmax" => ActivationKind.Softmax,
        "swish" or "silu" => ActivationKind.Swish,
        "hard_sigmoid" or "hardSigmoid" => ActivationKind.HardSigmoid,
        "hard_swish" or "hard_silu" => ActivationKind.HardSwish,
        "elu" => ActivationKind.Elu,
        "selu" => ActivationKind.Selu,
        "softplus" => ActivationKind.Softplus,
        "gelu" => ActivationKind.Gelu,
        _ => throw new NotSupportedException($"{context}: activation '{name}' is not supported. Supported: linear, relu, relu6, sigmoid, tanh, softmax, swish, hard_sigmoid, hard_swish, elu, selu, softplus, gelu."),
    };

    public static string ToKeras(ActivationKind kind) => kind switch
    {
        ActivationKind.Linear => "linear",
        ActivationKind.Relu => "relu",
        ActivationKind.Relu6 => "relu6",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.Tanh => "tanh",
        ActivationKind.Softmax => "softmax",
        ActivationKind.Swish => "swish",
        ActivationKind.HardSigmoid => "hard_sigmoid",
        ActivationKind.HardSwish => "hard_swish",
        ActivationKind.Elu => "elu",
        ActivationKind.Selu => "selu",
        ActivationKind.Softplus => "softplus",
        ActivationKind.Gelu => "gelu",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
