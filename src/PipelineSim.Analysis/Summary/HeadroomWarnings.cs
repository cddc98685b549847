using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Summary;

/// <summary>
/// What a run says about a receiver's headroom even when every profile was delivered: a receiver that spent most of
/// the run at its conn_limit has none left for a burst or a reconnect storm after a restart, and a full accept
/// backlog means clients already waited for SYN retransmits (1 s, then 3 s and 7 s after the first try). These are
/// the early signs of the conn_limit failure, so <c>run</c> says them out loud instead of leaving them in the figures.
/// </summary>
public static class HeadroomWarnings
{
    /// <summary>The share of the run at the limit from which a receiver is said to have no headroom.</summary>
    public const double AtLimitShare = 0.5;

    public static IReadOnlyList<string> Of(RunSummary summary)
    {
        var warnings = new List<string>();
        double runSeconds = summary.End.TotalSeconds;
        foreach (var receiver in summary.Receivers)
        {
            if (receiver.ConnLimit > 0 && runSeconds > 0)
            {
                double share = receiver.TimeAtLimit.TotalSeconds / runSeconds;
                if (share >= AtLimitShare)
                {
                    warnings.Add(Invariant($"receiver {receiver.Receiver} sat at its conn_limit of {receiver.ConnLimit} for {share:P0} of the run: no headroom for a burst or the reconnects after a restart; raise conn_limit or add replicas (pipelinesim plan)"));
                }
            }
            if (receiver.SynDrops > 0 || (receiver.AcceptBacklogCapacity > 0 && receiver.PeakAcceptBacklog >= receiver.AcceptBacklogCapacity))
            {
                string drops = receiver.SynDrops > 0
                    ? Invariant($", {receiver.SynDrops} SYNs were dropped and their clients waited for retransmits")
                    : "";
                warnings.Add(Invariant($"receiver {receiver.Receiver}'s accept backlog filled (peak {receiver.PeakAcceptBacklog} of {receiver.AcceptBacklogCapacity}){drops}: new connections queue behind the conn_limit"));
            }
        }
        return warnings;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
