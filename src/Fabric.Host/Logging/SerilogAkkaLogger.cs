using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Serilog.Events;
using Serilog.Parsing;
using AkkaLogEvent = Akka.Event.LogEvent;
using SerilogEvent = Serilog.Events.LogEvent;

namespace Fabric.Host.Logging;

/// <summary>
/// Akka logger that forwards Akka log events to Serilog (Akka.Logger.Serilog is not available here).
/// Enable it in HOCON:
/// <code>
/// akka.loggers = ["Fabric.Host.Logging.SerilogAkkaLogger, Fabric.Host"]
/// akka.loglevel = INFO
/// </code>
/// Each event is written to <see cref="Serilog.Log.Logger"/> (read per event, so reconfiguring Serilog later
/// takes effect), or to the logger given to the constructor, with Akka's timestamp, the exception
/// (<see cref="AkkaLogEvent.Cause"/>) and the properties LogSource, ActorPath (the log source), LogClass and
/// Thread. The Akka message is already formatted and goes in as a plain property under the fixed template
/// <c>{Message:l}</c>, so braces in logged text are never parsed as a Serilog template.
/// </summary>
public sealed class SerilogAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("{Message:l}");

    private readonly Serilog.ILogger? logger;

    public SerilogAkkaLogger() : this(null)
    {
    }

    public SerilogAkkaLogger(Serilog.ILogger? logger)
    {
        this.logger = logger;
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<AkkaLogEvent>(Write);
    }

    private void Write(AkkaLogEvent e)
    {
        var target = logger ?? Serilog.Log.Logger;
        var level = LevelOf(e);
        if (!target.IsEnabled(level))
            return;

        var source = new ScalarValue(e.LogSource);
        target.Write(new SerilogEvent(
            new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc)),
            level,
            e.Cause,
            Template,
            [
                new LogEventProperty("Message", new ScalarValue(e.Message?.ToString() ?? string.Empty)),
                new LogEventProperty("LogSource", source),
                new LogEventProperty("ActorPath", source),
                new LogEventProperty("LogClass", new ScalarValue(e.LogClass?.FullName)),
                new LogEventProperty("Thread", new ScalarValue(e.Thread?.ManagedThreadId)),
            ]));
    }

    private static LogEventLevel LevelOf(AkkaLogEvent e) => e switch
    {
        Error => LogEventLevel.Error,
        Warning => LogEventLevel.Warning,
        Info => LogEventLevel.Information,
        Debug => LogEventLevel.Debug,
        _ => LogEventLevel.Information,
    };
}
