using Graft.Tensors;

namespace Graft.Layers;

/// <summary>What Add and Multiply share: two or more inputs of one shape, combined element by element.</summary>
public abstract class Merge : Layer
{
    protected Merge(string? name) : base(name) { }

    public override int MinInputs => 2;
    public override int MaxInputs => int.MaxValue;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var first = inputShapes[0];
        for (int i = 1; i < inputShapes.Count; i++)
            if (inputShapes[i] != first)
                throw ShapeError(first + " for every input", inputShapes[i],
                    $"{ClassName} combines inputs of equal shape; input {i} of {inputShapes.Count} differs from input 0 (shapes: {string.Join(", ", inputShapes)}).");
        return first;
    }
}
