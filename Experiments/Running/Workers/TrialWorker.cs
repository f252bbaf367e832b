using MlToolkit.Experiments.Tuning.SearchSpaces;

namespace MlToolkit.Experiments.Running.Workers;

/// <summary>
/// The worker side of <see cref="WorkerProcessExecutor"/>: evaluates the trials the runner sends on
/// <c>input</c>, one at a time, and answers on <c>output</c> until the input closes. A host program builds the same
/// objective and search space as the runner (same data, same settings), then calls <see cref="Serve"/> with its
/// standard input and output; anything else it prints must go to standard error.
/// </summary>
public static class TrialWorker
{
    /// <summary>Serves trials of <paramref name="objective"/> until <paramref name="input"/> ends.</summary>
    public static void Serve(TrialObjective objective, SearchSpace space, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var channel = new Channel(output);
        channel.Send(new WorkerMessage { Kind = WorkerMessage.Ready });
        (int Number, CancellationTokenSource Cancellation, Thread Thread)? running = null;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (WorkerMessage.Parse(line) is not { } message)
                continue;
            if (message.Kind == WorkerMessage.Cancel && running is { } current && current.Number == message.Number)
                current.Cancellation.Cancel();
            if (message.Kind != WorkerMessage.Trial || message.Number is not { } number)
                continue;
            running?.Thread.Join();
            var cancellation = new CancellationTokenSource();
            var thread = new Thread(() => Evaluate(objective, space, message, number, cancellation.Token, channel)) { Name = $"trial {number}" };
            running = (number, cancellation, thread);
            thread.Start();
        }
        // The runner has gone (or is done): stop the trial in hand and leave.
        if (running is { } last)
        {
            last.Cancellation.Cancel();
            last.Thread.Join();
        }
    }

    /// <summary>Tells the runner this worker cannot serve (e.g. its data cannot be loaded); it fails the trial with this message.</summary>
    public static void Refuse(TextWriter output, string reason)
    {
        ArgumentNullException.ThrowIfNull(output);
        new Channel(output).Send(new WorkerMessage { Kind = WorkerMessage.Fatal, Message = reason });
    }

    private static void Evaluate(TrialObjective objective, SearchSpace space, WorkerMessage request, int number, CancellationToken cancellation, Channel channel)
    {
        try
        {
            var configuration = ParameterSet.FromJson(request.Configuration ?? "{}", space);
            var context = new TrialContext(number, request.Threads ?? 1, cancellation,
                (step, loss) => channel.Send(new WorkerMessage { Kind = WorkerMessage.Intermediate, Number = number, Step = step, Value = loss }))
            {
                TimeLeft = request.SecondsLeft is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            var outcome = objective(configuration, context);
            channel.Send(new WorkerMessage
            {
                Kind = WorkerMessage.Outcome, Number = number, Value = outcome.Value, Folds = outcome.FoldValues.ToArray(),
                Metrics = outcome.Metrics.ToDictionary(p => p.Key, p => p.Value), Diagnostics = outcome.Diagnostics,
            });
        }
        catch (Exception error)
        {
            var cause = FailureCause.Of(error);
            channel.Send(new WorkerMessage
            {
                Kind = WorkerMessage.Failed, Number = number, Cancelled = cancellation.IsCancellationRequested,
                ErrorType = cause.GetType().Name, Message = cause.Message, Details = error.ToString(),
            });
        }
    }

    /// <summary>Protocol lines from several threads, one whole line at a time.</summary>
    private sealed class Channel(TextWriter output)
    {
        public void Send(WorkerMessage message)
        {
            lock (this)
            {
                output.WriteLine(message.ToLine());
                output.Flush();
            }
        }
    }
}
