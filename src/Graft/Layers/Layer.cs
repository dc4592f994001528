using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// A named step of a network. Lifecycle as in Keras: settings in the constructor, weights created in
/// <see cref="Build"/> once the input shapes are known, math in <see cref="Forward"/> and <see cref="Backward"/>.
/// Shapes given to and returned by <see cref="OnBuild"/> exclude the batch dimension; tensors include it (NHWC).
/// </summary>
public abstract class Layer
{
    private static int s_counter;
    private readonly List<Parameter> _parameters = new();

    protected Layer(string? name)
    {
        Name = string.IsNullOrEmpty(name) ? $"{GetType().Name.ToLowerInvariant()}_{Interlocked.Increment(ref s_counter)}" : name;
    }

    public string Name { get; }

    /// <summary>Keras's class name for this layer ("Conv2D"); used by the importer and by saved models.</summary>
    public abstract string ClassName { get; }

    /// <summary>
    /// Whether the optimizer updates this layer's weights. Independent of the training flag, except for
    /// BatchNorm, which runs in inference mode whenever it is frozen (as Keras does).
    /// </summary>
    public bool Trainable { get; set; } = true;

    public bool IsBuilt { get; private set; }
    public IReadOnlyList<Shape> InputShapes { get; private set; } = Array.Empty<Shape>();
    public Shape OutputShape { get; private set; } = Shape.Scalar;
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>How many inputs the layer takes; merge layers (Add, Concatenate) take several.</summary>
    public virtual int MinInputs => 1;
    public virtual int MaxInputs => 1;

    /// <summary>True when forward can write its output over its input (element-wise layers).</summary>
    public virtual bool IsElementwise => false;

    /// <summary>
    /// Which values of the latest forward call <see cref="Backward"/> reads (beyond shapes, which it may always
    /// read). A model keeps, during a training step, only the values some backward reads, and recycles the
    /// others; a backward that declares <see cref="Layers.BackwardReads.None"/> must not read the values of the
    /// tensors it is given. Evaluated when the model plans a step, so it may depend on <see cref="Trainable"/>.
    /// The default keeps both, which is always safe.
    /// </summary>
    public virtual BackwardReads BackwardReads => BackwardReads.InputsAndOutput;

    public void Build(IReadOnlyList<Shape> inputShapes, Random? rng = null)
    {
        if (IsBuilt)
        {
            if (!inputShapes.SequenceEqual(InputShapes))
                throw new ShapeMismatchException(Name, string.Join(", ", InputShapes), string.Join(", ", inputShapes),
                    "a layer is built once; create a new layer for inputs of another shape.");
            return;
        }
        if (inputShapes.Count < MinInputs || inputShapes.Count > MaxInputs)
            throw new ArgumentException($"Layer '{Name}' ({ClassName}) takes {MinInputs}{(MaxInputs != MinInputs ? "–" + MaxInputs : "")} input(s). Received: {inputShapes.Count}.");
        OutputShape = OnBuild(inputShapes, rng ?? new Random(0));
        InputShapes = inputShapes.ToArray();
        IsBuilt = true;
    }

    /// <summary>Checks the input shapes, creates and initializes the weights, returns the output shape (no batch).</summary>
    protected abstract Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng);

    /// <summary>Computes <paramref name="output"/> (already allocated with the batch dimension) from the inputs.</summary>
    public abstract void Forward(Tensor[] inputs, Tensor output, bool training);

    /// <summary>
    /// Given dL/d(output), writes dL/d(input i) into <paramref name="inputGrads"/>[i] where that slot is not null
    /// (overwriting it), and adds the weight gradients into <see cref="Parameter.Grad"/> when the layer is trainable.
    /// Inputs and output are those of the latest forward call.
    /// </summary>
    public abstract void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads);

    /// <summary>Writes the layer's settings in Keras's config vocabulary (for saving; see <see cref="LayerRegistry"/>).</summary>
    public virtual void WriteConfig(JsonObject config) { }

    protected Parameter AddParameter(string name, Shape shape, bool trainable = true)
    {
        if (_parameters.Any(p => p.Name == name))
            throw new InvalidOperationException($"Layer '{Name}' already has a weight named '{name}'.");
        var p = new Parameter(this, name, shape, trainable);
        _parameters.Add(p);
        return p;
    }

    /// <summary>True when backward must accumulate weight gradients.</summary>
    protected bool NeedsParameterGrads => Trainable && _parameters.Count > 0;

    protected ShapeMismatchException ShapeError(string expected, Shape received, string? hint = null) =>
        new(Name, expected, received.ToString(), hint);

    public override string ToString() => $"{Name} ({ClassName})";
}

/// <summary>What a layer's <see cref="Layer.Backward"/> reads from the forward call (see <see cref="Layer.BackwardReads"/>).</summary>
[Flags]
public enum BackwardReads
{
    /// <summary>Only shapes, and the layer's own saved state (Dropout's mask, BatchNorm's batch statistics).</summary>
    None = 0,
    /// <summary>The values of the inputs.</summary>
    Inputs = 1,
    /// <summary>The value of the output.</summary>
    Output = 2,
    InputsAndOutput = Inputs | Output,
}
