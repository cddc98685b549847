using System.Diagnostics.CodeAnalysis;

namespace PipelineSim.Scenarios;

/// <summary>Either a value or the error that prevented it; for loading, the error is every problem found.</summary>
public sealed class Result<TValue, TError>
{
    private readonly TValue? _value;
    private readonly TError? _error;

    private Result(bool ok, TValue? value, TError? error)
    {
        IsOk = ok;
        _value = value;
        _error = error;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk { get; }

    public TValue? Value => IsOk ? _value : default;

    public TError? Error => IsOk ? default : _error;

    public static Result<TValue, TError> Ok(TValue value) => new(true, value, default);

    public static Result<TValue, TError> Fail(TError error) => new(false, default, error);
}
