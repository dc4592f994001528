namespace Graft.Import.TfJs;

/// <summary>
/// A "random" source that always draws zero, given to layers built by the importer: every weight they
/// initialize is overwritten from the file, and drawing 22 million seeded random numbers for InceptionV3
/// would take longer than reading its weights.
/// </summary>
internal sealed class ConstantRandom : Random
{
    public static ConstantRandom Instance { get; } = new();

    private ConstantRandom() : base(0) { }

    protected override double Sample() => 0;
    public override double NextDouble() => 0;
    public override float NextSingle() => 0;
    public override int Next() => 0;
    public override int Next(int maxValue) => 0;
    public override int Next(int minValue, int maxValue) => minValue;
    public override long NextInt64() => 0;
    public override void NextBytes(Span<byte> buffer) => buffer.Clear();
}
