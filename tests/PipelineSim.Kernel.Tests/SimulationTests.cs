using PipelineSim.Spec;
namespace PipelineSim.Kernel.Tests;

public class SimulationTests
{
    [Fact]
    public void A_run_from_inside_a_run_is_refused_and_the_outer_run_goes_on()
    {
        var sim = new Simulation();
        Exception? refused = null;
        var resumedAt = new List<long>();
        IEnumerable<Wait> Body()
        {
            refused = Record.Exception(() => sim.RunUntil(sim.Now + 10));
            yield return Wait.Delay(5);
            resumedAt.Add(sim.Now);
        }
        sim.Start(Body());
        sim.Run();
        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal([5L], resumedAt);
        Assert.Null(sim.ActiveProcess);
    }

    [Fact]
    public void Timeouts_advance_the_clock_and_resume_in_time_order()
    {
        var sim = new Simulation();
        var log = new List<(string, long)>();
        IEnumerable<Wait> Sleeper(string name, long delay)
        {
            yield return Wait.Delay(delay);
            log.Add((name, sim.Now));
        }
        sim.Start(Sleeper("late", 30));
        sim.Start(Sleeper("early", 10));
        sim.Start(Sleeper("middle", 20));
        sim.Run();
        Assert.Equal([("early", 10L), ("middle", 20L), ("late", 30L)], log);
        Assert.Equal(30, sim.Now);
    }

    [Fact]
    public void Entries_at_the_same_time_run_in_the_order_they_were_scheduled()
    {
        var sim = new Simulation();
        var order = new List<int>();
        IEnumerable<Wait> At(int id)
        {
            yield return Wait.Delay(5);
            order.Add(id);
        }
        for (int i = 0; i < 50; i++) sim.Start(At(i));
        sim.Run();
        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    [Fact]
    public void RunUntil_stops_before_entries_due_at_the_limit_and_sets_the_clock()
    {
        var sim = new Simulation();
        var fired = new List<long>();
        IEnumerable<Wait> Ticker()
        {
            while (true)
            {
                yield return Wait.Delay(10);
                fired.Add(sim.Now);
            }
        }
        sim.Start(Ticker());
        sim.RunUntil(30);
        Assert.Equal([10L, 20L], fired);
        Assert.Equal(30, sim.Now);
        sim.RunUntil(45);
        Assert.Equal([10L, 20L, 30L, 40L], fired);
        Assert.Equal(45, sim.Now);
    }

    [Fact]
    public void Run_with_a_stop_event_ends_when_it_is_processed()
    {
        var sim = new Simulation();
        var stop = sim.Timeout(100);
        int ticks = 0;
        IEnumerable<Wait> Ticker()
        {
            while (true)
            {
                yield return Wait.Delay(7);
                ticks++;
            }
        }
        sim.Start(Ticker());
        sim.Run(stop);
        Assert.Equal(100, sim.Now);
        Assert.Equal(14, ticks); // 7, 14, ..., 98
        Assert.True(stop.IsProcessed);
    }

    [Fact]
    public void A_process_waits_for_an_event_and_reads_its_value()
    {
        var sim = new Simulation();
        var signal = sim.NewEvent();
        object? received = null;
        long at = -1;
        IEnumerable<Wait> Waiter()
        {
            yield return signal;
            received = signal.Value;
            at = sim.Now;
        }
        IEnumerable<Wait> Signaller()
        {
            yield return Wait.Delay(42);
            signal.Succeed("hello");
        }
        sim.Start(Waiter());
        sim.Start(Signaller());
        sim.Run();
        Assert.Equal("hello", received);
        Assert.Equal(42, at);
    }

    [Fact]
    public void A_failed_event_resumes_its_waiter_with_the_cause()
    {
        var sim = new Simulation();
        var failing = sim.NewEvent();
        bool? ok = null;
        IEnumerable<Wait> Waiter()
        {
            yield return failing;
            ok = failing.IsOk;
        }
        sim.Start(Waiter());
        sim.Start(FailLater());
        sim.Run();
        Assert.False(ok);
        Assert.Equal("boom", failing.Value);

        IEnumerable<Wait> FailLater()
        {
            yield return Wait.Delay(1);
            failing.Fail("boom");
        }
    }

    [Fact]
    public void Waiting_for_an_event_already_processed_continues_at_once()
    {
        var sim = new Simulation();
        var done = sim.Timeout(5, "v");
        var times = new List<long>();
        IEnumerable<Wait> Late()
        {
            yield return Wait.Delay(10);
            yield return done;
            times.Add(sim.Now);
        }
        sim.Start(Late());
        sim.Run();
        Assert.Equal([10L], times);
    }

    [Fact]
    public void Triggering_twice_is_refused()
    {
        var sim = new Simulation();
        var e = sim.NewEvent();
        e.Succeed();
        Assert.Throws<InvalidOperationException>(() => e.Fail("again"));
    }

    [Fact]
    public void A_process_is_an_event_that_succeeds_when_its_body_ends()
    {
        var sim = new Simulation();
        IEnumerable<Wait> Child()
        {
            yield return Wait.Delay(25);
        }
        long joined = -1;
        IEnumerable<Wait> Parent()
        {
            var child = sim.Start(Child(), "child");
            yield return child;
            joined = sim.Now;
            Assert.False(child.IsAlive);
        }
        sim.Start(Parent());
        sim.Run();
        Assert.Equal(25, joined);
    }

    [Fact]
    public void Interrupt_abandons_a_pending_timeout_and_resumes_now()
    {
        var sim = new Simulation();
        var seen = new List<string>();
        Process? sleeper = null;
        IEnumerable<Wait> Sleeper(Process self)
        {
            yield return Wait.Delay(100);
            seen.Add(self.IsInterrupted ? $"interrupted at {sim.Now} by {self.InterruptCause}" : $"woke at {sim.Now}");
            yield return Wait.Delay(10);
            seen.Add(self.IsInterrupted ? "interrupted again" : $"woke at {sim.Now}");
        }
        IEnumerable<Wait> Interrupter()
        {
            yield return Wait.Delay(30);
            sleeper!.Interrupt("deadline");
        }
        sleeper = sim.Start(Sleeper, "sleeper");
        sim.Start(Interrupter());
        sim.Run();
        Assert.Equal(["interrupted at 30 by deadline", "woke at 40"], seen);
        Assert.Equal(100, sim.Now); // the abandoned timeout is still dispatched, and ignored
    }

    [Fact]
    public void An_interrupted_waiter_is_not_resumed_again_by_the_event()
    {
        var sim = new Simulation();
        var never = sim.NewEvent();
        int resumes = 0;
        IEnumerable<Wait> Waiter(Process self)
        {
            yield return never;
            resumes++;
            yield return Wait.Delay(1000);
            resumes++;
        }
        var waiter = sim.Start(Waiter, "waiter");
        IEnumerable<Wait> Driver()
        {
            yield return Wait.Delay(1);
            waiter.Interrupt();
            yield return Wait.Delay(1);
            never.Succeed();
        }
        sim.Start(Driver());
        sim.Run();
        Assert.Equal(2, resumes);
        Assert.Equal(1001, sim.Now);
    }

    [Fact]
    public void Interrupting_an_ended_process_is_refused()
    {
        var sim = new Simulation();
        var p = sim.Start(Enumerable.Empty<Wait>());
        sim.Run();
        Assert.Throws<InvalidOperationException>(() => p.Interrupt());
    }

    [Fact]
    public void AnyOf_succeeds_with_the_first_event_and_AllOf_waits_for_all()
    {
        var sim = new Simulation();
        var slow = sim.Timeout(50, "slow");
        var fast = sim.Timeout(20, "fast");
        var any = sim.AnyOf(slow, fast);
        var all = sim.AllOf(slow, fast);
        long anyAt = -1, allAt = -1;
        IEnumerable<Wait> Watch()
        {
            yield return any;
            anyAt = sim.Now;
            yield return all;
            allAt = sim.Now;
        }
        sim.Start(Watch());
        sim.Run();
        Assert.Same(fast, any.Value);
        Assert.Equal((20L, 50L), (anyAt, allAt));
    }

    [Fact]
    public void A_condition_fails_when_a_child_fails()
    {
        var sim = new Simulation();
        var bad = sim.NewEvent();
        var any = sim.AllOf(sim.Timeout(10), bad);
        IEnumerable<Wait> Fail()
        {
            yield return Wait.Delay(3);
            bad.Fail("nope");
        }
        sim.Start(Fail());
        sim.Run();
        Assert.False(any.IsOk);
        Assert.Equal("nope", any.Value);
    }

    [Fact]
    public void A_request_races_its_deadline_with_AnyOf()
    {
        var sim = new Simulation();
        var response = sim.NewEvent();
        string? outcome = null;
        IEnumerable<Wait> Client()
        {
            var deadline = sim.Timeout(100);
            var first = sim.AnyOf(response, deadline);
            yield return first;
            outcome = first.Value == deadline ? $"deadline_exceeded at {sim.Now}" : "ok";
        }
        sim.Start(Client());
        sim.Run();
        Assert.Equal("deadline_exceeded at 100", outcome);
    }

    [Fact]
    public void Callbacks_run_when_processed_even_if_added_late()
    {
        var sim = new Simulation();
        var e = sim.Timeout(5);
        var calls = new List<long>();
        e.AddCallback(_ => calls.Add(sim.Now));
        sim.Run();
        e.AddCallback(_ => calls.Add(sim.Now + 1000));
        sim.Run();
        Assert.Equal([5L, 1005L], calls);
    }

    private sealed class Recorder(Simulation sim) : ITimerHandler
    {
        public List<(long Time, long Token)> Calls { get; } = [];

        public void OnTimer(long token) => Calls.Add((sim.Now, token));
    }

    [Fact]
    public void Timers_call_their_handler_with_the_token_in_time_then_schedule_order()
    {
        var sim = new Simulation();
        var handler = new Recorder(sim);
        sim.ScheduleAt(20, handler, 1);
        sim.ScheduleAt(10, handler, 2);
        sim.ScheduleAfter(20, handler, 3);
        sim.Run();
        Assert.Equal([(10L, 2L), (20L, 1L), (20L, 3L)], handler.Calls);
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.ScheduleAt(5, handler, 4));
    }

    [Fact]
    public void Stop_ends_the_run_after_the_current_entry()
    {
        var sim = new Simulation();
        int n = 0;
        IEnumerable<Wait> Counter()
        {
            while (true)
            {
                yield return Wait.Delay(1);
                if (++n == 5) sim.Stop();
            }
        }
        sim.Start(Counter());
        sim.Run();
        Assert.Equal(5, n);
        Assert.Equal(5, sim.Now);
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        static List<long> RunOnce(ulong seed)
        {
            var sim = new Simulation();
            var streams = new RandomStreams(seed);
            var log = new List<long>();
            for (int i = 0; i < 20; i++)
            {
                var rng = streams[$"p{i}"];
                sim.Start(Loop(rng));
            }
            sim.RunUntil(10_000);
            return log;

            IEnumerable<Wait> Loop(RandomStream rng)
            {
                while (true)
                {
                    yield return Wait.Delay(rng.NextInt64(1, 500));
                    log.Add(sim.Now * 100 + rng.Next(100));
                }
            }
        }
        Assert.Equal(RunOnce(7), RunOnce(7));
        Assert.NotEqual(RunOnce(7), RunOnce(8));
    }
}
