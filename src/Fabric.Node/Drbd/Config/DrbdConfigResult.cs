namespace Fabric.Node.Drbd.Config;

/// <summary>Why a DRBD configuration cannot be built or rendered, in LINSTOR's message / cause / correction form.</summary>
public sealed record DrbdConfigError(string Message, string Cause, string Correction)
{
    public override string ToString() => $"{Message} Cause: {Cause} Correction: {Correction}";
}

/// <summary>A built value, or the first reason it could not be built (never both, never neither).</summary>
public sealed class DrbdConfigResult<T>
    where T : class
{
    private DrbdConfigResult(T? value, DrbdConfigError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DrbdConfigError? Error { get; }

    public bool Succeeded => Error is null;

    public static DrbdConfigResult<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static DrbdConfigResult<T> Fail(DrbdConfigError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The value; throws with the error's text when there is none (for callers that checked already, and tests).</summary>
    public T ValueOrThrow() => Value ?? throw new InvalidOperationException(Error!.ToString());

    public static implicit operator DrbdConfigResult<T>(DrbdConfigError error) => Fail(error);
}
