using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Fabric.Host.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Xunit;
using LogEvent = Serilog.Events.LogEvent;

namespace Fabric.Host.Tests.Logging;

public class SerilogAkkaLoggerTests : TestKit
{
    private static readonly Config LoggerConfig = ConfigurationFactory.ParseString("""
        akka.loggers = ["Fabric.Host.Logging.SerilogAkkaLogger, Fabric.Host"]
        akka.loglevel = DEBUG
        """);

    private readonly ListSink sink = new();

    public SerilogAkkaLoggerTests() : base(LoggerConfig)
    {
        // The logger actor reads Serilog's static logger per event, so setting it after start works.
        Serilog.Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
    }

    [Fact]
    public void Warning_from_an_actor_arrives_with_text_level_and_source()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Chatty()), "chatty");

        actor.Tell("warn");

        AwaitAssert(() =>
        {
            var e = Assert.Single(sink.Events, x => x.Level == LogEventLevel.Warning);
            Assert.Equal("disk {sda} is 95% full", e.RenderMessage());
            Assert.Contains("chatty", Scalar(e, "LogSource"));
            Assert.Equal(Scalar(e, "LogSource"), Scalar(e, "ActorPath"));
            Assert.True(e.Properties.ContainsKey("Thread"));
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Error_carries_the_exception()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Chatty()), "failing");

        actor.Tell("error");

        AwaitAssert(() =>
        {
            var e = Assert.Single(sink.Events, x => x.Level == LogEventLevel.Error);
            Assert.Equal("replication failed", e.RenderMessage());
            Assert.IsType<InvalidOperationException>(e.Exception);
        }, TimeSpan.FromSeconds(5));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Serilog.Log.CloseAndFlush();
    }

    private static string? Scalar(LogEvent e, string name) => (e.Properties[name] as ScalarValue)?.Value?.ToString();

    private sealed class Chatty : ReceiveActor
    {
        public Chatty()
        {
            var log = Context.GetLogger();
            // Braces in the argument must reach Serilog as text, not as a template.
            Receive<string>(m => m == "warn", _ => log.Warning("disk {0} is 95% full", "{sda}"));
            Receive<string>(m => m == "error", _ => log.Error(new InvalidOperationException("boom"), "replication failed"));
        }
    }

    private sealed class ListSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> events = new();

        public IReadOnlyList<LogEvent> Events => [.. events];

        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
