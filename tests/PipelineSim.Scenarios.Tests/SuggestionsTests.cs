namespace PipelineSim.Scenarios.Tests;

public class SuggestionsTests
{
    [Theory]
    [InlineData("remote_timout", "remote_timeout", 1)]
    [InlineData("conn_limti", "conn_limit", 1)] // a swap of neighbours is one edit
    [InlineData("abc", "abc", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_counts_edits(string a, string b, int distance) => Assert.Equal(distance, Suggestions.Distance(a, b));

    [Theory]
    [InlineData("Conn_Limit", "conn_limit")]
    [InlineData("forwardto", "forward_to")]
    [InlineData("timeout", null)] // far from every candidate
    [InlineData("x", null)]
    public void Closest_is_offered_only_when_near(string given, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(given, ["conn_limit", "forward_to", "remote_timeout", "accept_backlog"]));
}
