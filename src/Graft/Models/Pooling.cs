namespace Graft.Models;

/// <summary>What follows the trunk when the classifier is left off: nothing (a feature map), or a global pooling.</summary>
public enum Pooling { None, Avg, Max }
