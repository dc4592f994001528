using Graft.Layers;
using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// A model compiled for inference (feature extraction from a frozen network):
/// <code>
/// var plan = InferencePlan.Compile(model);
/// Tensor y = plan.Run(x);   // same values as model.Forward(x, training: false), within float rounding
/// </code>
/// Compiling folds inference-mode BatchNorm into the preceding Conv2D / DepthwiseConv2D, fuses bias, ReLU/ReLU6
/// and residual Adds into the convolution epilogues, folds ZeroPadding2D into the convolution's padding, runs 1×1
/// convolutions as one GEMM over the NHWC buffer with pre-packed weights, and keeps activations in a few buffers
/// shared by liveness. Layers it has no fused form for are called as they are (layer calls), so any model compiles.
/// The layers are not changed. The plan copies the weights it folds: after the model's weights change (training,
/// loading), call <see cref="Refresh"/>. Like <see cref="Model"/>, a plan runs one call at a time, and the tensors
/// it returns are its own and are overwritten by the next call. To extract features from the frozen part of a
/// model being fine-tuned, compile the cut at the freeze boundary: <c>InferencePlan.Compile(model.Cut("block_12_add"))</c>.
/// </summary>
public sealed class InferencePlan
{
    private readonly List<PlanStep> _steps;
    private readonly List<Shape> _valueShapes;
    private readonly int[] _inputValues, _outputValues;
    private readonly InferencePlanMemory _memory;
    private readonly float[]?[] _buffers;
    private readonly Tensor?[] _values;
    private readonly Tensor[][] _args;
    private readonly Shape[] _inputShapes;
    private int _batch = -1;

    private InferencePlan(Model model)
    {
        Model = model;
        (_steps, _valueShapes, _inputValues, _outputValues) = InferencePlanCompiler.Compile(model);
        _memory = InferencePlanMemory.Assign(_steps, _valueShapes, _inputValues, _outputValues);
        _buffers = new float[_memory.Capacity.Length][];
        _values = new Tensor?[_valueShapes.Count];
        _args = _steps.Select(s => new Tensor[s.Inputs.Length]).ToArray();
        _inputShapes = model.Inputs.Select(i => i.Shape).ToArray();
        Refresh();
    }

    public static InferencePlan Compile(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new InferencePlan(model);
    }

    public Model Model { get; }

    /// <summary>When set (one slot per step), each run adds every step's wall time to it: for profiling.</summary>
    internal double[]? StepSeconds { get; set; }

    /// <summary>One line per step: what it computes and which layers it fused.</summary>
    public IReadOnlyList<string> Steps => _steps.Select(s => s.Description).ToArray();

    /// <summary>How many model layers ran fused into another layer's step, and how many run as plain layer calls.</summary>
    public (int Fused, int LayerCalls) FusionCounts =>
        (_steps.Sum(s => s.Nodes.Count - 1), _steps.Count(s => s is LayerStep));

    /// <summary>Activation memory the plan holds for a batch of <paramref name="batch"/>, in floats.</summary>
    public long ActivationFloats(int batch) => _memory.Capacity.Sum() * batch;

    /// <summary>Re-reads the weights of every fused layer (after training or loading changed them).</summary>
    public void Refresh()
    {
        foreach (var s in _steps) s.Refresh();
    }

    public Tensor Run(Tensor input)
    {
        if (_inputValues.Length != 1 || _outputValues.Length != 1)
            throw new InvalidOperationException($"Run(Tensor) takes models with one input and one output; model '{Model.Name}' has {_inputValues.Length} and {_outputValues.Length}. Use Run(Tensor[]).");
        return Run(new[] { input })[0];
    }

    /// <summary>Runs the plan on NHWC batches (one per model input) and returns one tensor per model output.</summary>
    public Tensor[] Run(Tensor[] inputs)
    {
        if (inputs.Length != _inputValues.Length)
            throw new ArgumentException($"Model '{Model.Name}' takes {_inputValues.Length} input(s). Received: {inputs.Length}.");
        int batch = inputs[0].Shape.Rank > 0 ? inputs[0].Shape[0] : -1;
        for (int i = 0; i < inputs.Length; i++)
        {
            var got = inputs[i].Shape;
            if (got.Rank != _inputShapes[i].Rank + 1 || !got.Dims[1..].SequenceEqual(_inputShapes[i].Dims) || got[0] != batch)
                throw new ShapeMismatchException(Model.Inputs[i].Name, _inputShapes[i].WithBatch(batch < 0 ? 1 : batch).ToString().Replace("(1,", "(N,"), got.ToString(),
                    "images must be resized to the model's input size and batched as NHWC float32.");
        }
        if (batch != _batch) Bind(batch);
        for (int i = 0; i < inputs.Length; i++) _values[_inputValues[i]] = inputs[i];
        for (int s = 0; s < _steps.Count; s++)
        {
            long t0 = StepSeconds is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            var step = _steps[s];
            var args = _args[s];
            for (int j = 0; j < args.Length; j++) args[j] = _values[step.Inputs[j]]!;
            step.Run(args, _values[step.Output]!);
            if (StepSeconds is not null) StepSeconds[s] += System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        var result = new Tensor[_outputValues.Length];
        for (int o = 0; o < result.Length; o++) result[o] = _values[_outputValues[o]]!;
        return result;
    }

    /// <summary>Sizes the shared buffers for a batch and makes each value a view of its buffer.</summary>
    private void Bind(int batch)
    {
        for (int b = 0; b < _buffers.Length; b++)
        {
            long need = _memory.Capacity[b] * batch;
            if (need > Array.MaxLength) throw new InvalidOperationException($"A batch of {batch} needs {need} floats in one activation buffer; use a smaller batch.");
            if (_buffers[b] is null || _buffers[b]!.Length < need) _buffers[b] = GC.AllocateUninitializedArray<float>((int)Math.Max(need, 1));
        }
        for (int v = 0; v < _values.Length; v++)
        {
            int b = _memory.BufferOf[v];
            _values[v] = b < 0 ? null : new Tensor(_valueShapes[v].WithBatch(batch), _buffers[b]!, 0);
        }
        _batch = batch;
    }
}
