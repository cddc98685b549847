using PipelineSim.Analysis.Plots;

namespace PipelineSim.Analysis.Tests.Plots;

public class PrometheusLabelsTests
{
    [Theory]
    [InlineData("component_id=\"r\",protocol=\"http\"", "component_id", "r")]
    [InlineData("component_id=\"r\",protocol=\"http\"", "protocol", "http")]
    [InlineData("a=\"x,y\",component_id=\"pyroscope.receive_http.r\"", "component_id", "pyroscope.receive_http.r")]
    [InlineData("a=\"say \\\"hi\\\"\",b=\"1\"", "a", "say \"hi\"")]
    [InlineData("a=\"1\"", "component_id", null)]
    [InlineData("", "component_id", null)]
    [InlineData("garbage", "component_id", null)]
    public void Reads_one_label(string labels, string name, string? expected) => Assert.Equal(expected, PrometheusLabels.Get(labels, name));
}
