namespace PipelineSim.Kernel.Tests;

public class ResourceAndStoreTests
{
    [Fact]
    public void A_resource_grants_up_to_capacity_then_queues_in_arrival_order()
    {
        var sim = new Simulation();
        var server = new Resource(sim, capacity: 2);
        var served = new List<(int Id, long Start)>();
        IEnumerable<Wait> Customer(int id)
        {
            var request = server.Request();
            yield return request;
            served.Add((id, sim.Now));
            yield return Wait.Delay(10);
            server.Release(request);
        }
        for (int i = 0; i < 5; i++) sim.Start(Customer(i));
        sim.RunUntil(1);
        Assert.Equal((2, 3), (server.InUse, server.QueueLength));
        sim.Run();
        Assert.Equal([(0, 0L), (1, 0L), (2, 10L), (3, 10L), (4, 20L)], served);
        Assert.Equal((0, 0), (server.InUse, server.QueueLength));
    }

    [Fact]
    public void A_withdrawn_request_is_skipped()
    {
        var sim = new Simulation();
        var server = new Resource(sim, 1);
        var holder = server.Request();
        var impatient = server.Request();
        var patient = server.Request();
        Assert.Equal(2, server.QueueLength);
        server.Release(impatient); // gives up waiting
        Assert.Equal(1, server.QueueLength);
        server.Release(holder);
        sim.Run();
        Assert.True(patient.IsGranted);
        Assert.False(impatient.IsGranted);
        Assert.Equal((1, 0), (server.InUse, server.QueueLength));
    }

    [Fact]
    public void Two_processes_ping_pong_a_capacity_one_resource()
    {
        var sim = new Simulation();
        var token = new Resource(sim, 1);
        var log = new List<string>();
        IEnumerable<Wait> Player(string name)
        {
            for (int i = 0; i < 3; i++)
            {
                var r = token.Request();
                yield return r;
                log.Add($"{name}@{sim.Now}");
                yield return Wait.Delay(1);
                token.Release(r);
            }
        }
        sim.Start(Player("a"));
        sim.Start(Player("b"));
        sim.Run();
        Assert.Equal(["a@0", "b@1", "a@2", "b@3", "a@4", "b@5"], log);
    }

    [Fact]
    public void A_store_hands_items_first_in_first_out_and_blocks_getters_until_put()
    {
        var sim = new Simulation();
        var store = new Store<string>(sim);
        var got = new List<(string, long)>();
        IEnumerable<Wait> Consumer()
        {
            for (int i = 0; i < 3; i++)
            {
                var get = store.Get();
                yield return get;
                got.Add((get.Item, sim.Now));
            }
        }
        IEnumerable<Wait> Producer()
        {
            store.Put("a");
            store.Put("b");
            yield return Wait.Delay(9);
            store.Put("c");
        }
        sim.Start(Consumer());
        sim.Start(Producer());
        sim.Run();
        Assert.Equal([("a", 0L), ("b", 0L), ("c", 9L)], got);
    }

    [Fact]
    public void A_full_store_makes_putters_wait_for_room()
    {
        var sim = new Simulation();
        var store = new Store<int>(sim, capacity: 1);
        var first = store.Put(1);
        var second = store.Put(2);
        Assert.Equal((1, 1), (store.Count, store.PendingPuts));
        sim.Run();
        Assert.True(first.IsProcessed);
        Assert.False(second.IsTriggered);
        var get = store.Get();
        sim.Run();
        Assert.Equal(1, get.Item);
        Assert.True(second.IsProcessed);
        Assert.Equal((1, 0), (store.Count, store.PendingPuts));
    }
}
