using PipelineSim.Core.Connect;
using PipelineSim.Core.Units;
using PipelineSim.Spec;
using PipelineSim.Scenarios.Reading;

namespace PipelineSim.Scenarios.Schema;

/// <summary>Scalar types of the schema that are the model's own enums, or Core's Connect codes.</summary>
internal static class SpecKinds
{
    /// <summary>A Connect code by its wire name (<c>unavailable</c>, <c>resource_exhausted</c>); never <c>ok</c>.</summary>
    public static ValueKind<ConnectCode> Code { get; } = new SimpleKind<ConnectCode>(text =>
    {
        if (ConnectCodes.TryParse(text, out var code) && code != ConnectCode.Ok) return (true, code, "");
        var names = Enum.GetValues<ConnectCode>().Where(c => c != ConnectCode.Ok).Select(ConnectCodes.Name).ToList();
        return (false, ConnectCode.Unknown,
            $"unknown Connect code \"{text}\"{Suggestions.DidYouMean(text, names)} (expected one of {string.Join(", ", names)})");
    });

    public static ValueKind<OutageMode> OutageMode { get; } = Kinds.OneOf(
        ("unavailable", Spec.OutageMode.Unavailable), ("hang", Spec.OutageMode.Hang), ("refuse", Spec.OutageMode.Refuse));

    public static ValueKind<MiddleboxMode> MiddleboxMode { get; } = Kinds.OneOf(
        ("silent", Spec.MiddleboxMode.Silent), ("rst", Spec.MiddleboxMode.Rst));

    /// <summary>A size as a number of bytes, for byte rates and bursts.</summary>
    public static ValueKind<double> ByteAmount { get; } = new SimpleKind<double>(text =>
        ByteSize.TryParse(text, out long bytes, out string error) ? (true, bytes, "") : (false, 0, error));
}
