using PipelineSim.Analysis.Planning;

namespace PipelineSim.Analysis.Tests.Planning;

public class SeedsAndShardsTests
{
    [Fact]
    public void Replication_seeds_are_the_splitmix64_sequence_of_the_base_seed()
    {
        // The reference outputs of Vigna's splitmix64.c started at 0 (also the first values Java's SplittableRandom gives).
        Assert.Equal(0xE220A8397B1DCDAFUL, PlanSeeds.ForReplication(0, 0));
        Assert.Equal(0x6E789E6AA1B965F4UL, PlanSeeds.ForReplication(0, 1));
        Assert.Equal(0x06C45D188009454FUL, PlanSeeds.ForReplication(0, 2));
    }

    [Fact]
    public void Seeds_depend_on_the_base_seed_and_replication_only_and_do_not_repeat()
    {
        var seeds = Enumerable.Range(0, 10_000).Select(r => PlanSeeds.ForReplication(42, r)).ToList();
        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.Equal(seeds, Enumerable.Range(0, 10_000).Select(r => PlanSeeds.ForReplication(42, r)));
        Assert.NotEqual(PlanSeeds.ForReplication(42, 0), PlanSeeds.ForReplication(43, 0));
    }

    [Fact]
    public void Every_cell_of_a_sweep_gets_its_replication_seed_at_every_point()
    {
        var sweep = PlanSweeps.Synthetic(connLimits: [10, 20, 30], replications: 4);
        var cells = sweep.Cells();
        Assert.Equal(12, cells.Count);
        Assert.Equal(Enumerable.Range(0, 12), cells.Select(c => c.Index));
        foreach (var cell in cells)
        {
            Assert.Equal(cell.Index / 4, cell.Point.Index);
            Assert.Equal(cell.Index % 4, cell.Replication);
            Assert.Equal(PlanSeeds.ForReplication(sweep.BaseSeed, cell.Replication), cell.Seed);
        }
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData(" 2 / 8 ", 2, 8)]
    public void Reads_shards(string text, int index, int count)
    {
        Assert.True(Shard.TryParse(text, out var shard, out string? error), error);
        Assert.Equal(new Shard(index, count), shard);
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("0/0")]
    [InlineData("-1/4")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Rejects_shards_outside_0_to_n_minus_1(string text) => Assert.False(Shard.TryParse(text, out _, out _));

    [Fact]
    public void Shards_partition_the_cells()
    {
        var owners = Enumerable.Range(0, 100).Select(cell => Enumerable.Range(0, 7).Count(i => new Shard(i, 7).Includes(cell)));
        Assert.All(owners, count => Assert.Equal(1, count));
        Assert.Equal("plan.shard-2-of-7", new Shard(2, 7).FileStem);
    }
}
