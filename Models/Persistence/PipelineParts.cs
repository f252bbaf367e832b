using MlToolkit.Data.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Models.Ensembles;
using MlToolkit.Pipelines.Persistence;
using MlToolkit.Pipelines.Transforms;
using MlToolkit.Trainers.Torch.Persistence;
using MlToolkit.Trainers.Torch.Scoring;

namespace MlToolkit.Models.Persistence;

/// <summary>
/// Splits a fitted pipeline that mixes ML.NET transformers and torch transformers into archive parts, and puts
/// it back together. Consecutive ML.NET transformers become one segment saved by <c>mlContext.Model.Save</c>;
/// each torch transformer becomes its TorchSharp weights plus a JSON state (architecture, head, input shape);
/// MlToolkit's own transformers (tokenizer) are stored as JSON state.
/// The pipeline's input schema is kept as an empty ML.NET chain, so it is restored with its exact types.
/// </summary>
public static class PipelineParts
{
    private const string SchemaPart = "schema.zip";

    /// <summary>The manifest section and part writers for <paramref name="model"/> under <paramref name="prefix"/>.</summary>
    public static (JsonObject Manifest, Dictionary<string, Action<Stream>> Parts) Write(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string prefix)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var parts = new Dictionary<string, Action<Stream>>
        {
            [prefix + SchemaPart] = stream => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, stream),
        };
        var segments = new JsonArray();
        var schema = inputSchema;
        var pending = new List<ITransformer>();

        void FlushMlNet()
        {
            if (pending.Count == 0)
                return;
            var chain = new TransformerChain<ITransformer>(pending.ToArray());
            var segmentSchema = schema;
            var name = $"{prefix}segment{segments.Count}.mlnet.zip";
            parts[name] = stream => catalog.Save(chain, segmentSchema, stream);
            segments.Add(new JsonObject { ["type"] = "mlnet", ["part"] = name });
            schema = chain.GetOutputSchema(schema);
            pending.Clear();
        }

        foreach (var transformer in Flatten(model))
        {
            if (transformer is EnsembleTransformer ensemble)
            {
                FlushMlNet();
                var members = new JsonArray();
                for (var m = 0; m < ensemble.Members.Count; m++)
                {
                    var (memberManifest, memberParts) = Write(catalog, ensemble.Members[m], schema, $"{prefix}segment{segments.Count}.member{m}.");
                    foreach (var (partName, writePart) in memberParts)
                        parts[partName] = writePart;
                    members.Add(memberManifest);
                }
                segments.Add(new JsonObject { ["type"] = EnsembleTransformer.Kind, ["state"] = ensemble.SaveState().State, ["members"] = members });
                schema = ensemble.GetOutputSchema(schema);
                continue;
            }
            if (transformer is ColumnAddingTransformer own)
            {
                FlushMlNet();
                var (kind, ownState) = own.SaveState();
                segments.Add(new JsonObject { ["type"] = "transform", ["kind"] = kind, ["state"] = ownState });
                schema = own.GetOutputSchema(schema);
                continue;
            }
            if (transformer is not TorchPredictionTransformer torchTransformer)
            {
                pending.Add(transformer);
                continue;
            }
            FlushMlNet();
            var (state, weights) = TorchTransformerFiles.Save(torchTransformer);
            var name = $"{prefix}segment{segments.Count}.torch.bin";
            parts[name] = weights;
            segments.Add(new JsonObject { ["type"] = "torch", ["part"] = name, ["state"] = state });
            schema = torchTransformer.GetOutputSchema(schema);
        }
        FlushMlNet();
        return (new JsonObject { ["schemaPart"] = prefix + SchemaPart, ["segments"] = segments }, parts);
    }

    /// <summary>Rebuilds the pipeline described by <paramref name="manifest"/> from <paramref name="archive"/>.</summary>
    /// <exception cref="ModelFormatException">A part is missing or does not match its description.</exception>
    public static ITransformer Read(ModelOperationsCatalog catalog, JsonObject manifest, LoadedArchive archive, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(archive);
        var schemaPart = manifest["schemaPart"]?.GetValue<string>() ?? throw Invalid(archive, "the pipeline has no input schema part");
        using (var stream = archive.OpenPart(schemaPart))
            catalog.Load(stream, out inputSchema);
        var transformers = new List<ITransformer>();
        foreach (var segment in manifest["segments"]?.AsArray() ?? throw Invalid(archive, "the pipeline lists no segments"))
        {
            var type = segment?["type"]?.GetValue<string>();
            if (type == EnsembleTransformer.Kind)
            {
                var members = (segment!["members"] as JsonArray ?? throw Invalid(archive, "an ensemble lists no members"))
                    .Select(m => Read(catalog, m as JsonObject ?? throw Invalid(archive, "an ensemble member is not described"), archive, out _)).ToList();
                transformers.Add(EnsembleTransformer.Load(segment["state"] as JsonObject ?? throw Invalid(archive, "an ensemble has no state"), members));
                continue;
            }
            if (type == "transform")
            {
                var kind = segment!["kind"]?.GetValue<string>() ?? throw Invalid(archive, "a transform segment names no kind");
                transformers.Add(PersistentTransformers.Load(kind, segment["state"] as JsonObject ?? throw Invalid(archive, $"transform '{kind}' has no state")));
                continue;
            }
            var part = segment?["part"]?.GetValue<string>() ?? throw Invalid(archive, "a segment names no part");
            using var stream = archive.OpenPart(part);
            switch (type)
            {
                case "mlnet":
                    transformers.Add(LoadMlNet(catalog, stream, archive, part));
                    break;
                case "torch":
                    var state = segment!["state"] ?? throw Invalid(archive, $"segment '{part}' has no state");
                    transformers.Add(TorchTransformerFiles.Load(state, stream, $"{archive.Path}: segment '{part}'"));
                    break;
                default:
                    throw Invalid(archive, $"segment '{part}' has unknown type '{type}'");
            }
        }
        return new TransformerChain<ITransformer>(transformers.ToArray());
    }

    /// <summary>The leaf transformers of <paramref name="model"/>, in order (nested chains expanded).</summary>
    public static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                foreach (var leaf in Flatten(inner))
                    yield return leaf;
            }
        }
        else
        {
            yield return model;
        }
    }

    private static ITransformer LoadMlNet(ModelOperationsCatalog catalog, Stream stream, LoadedArchive archive, string part)
    {
        try
        {
            return catalog.Load(stream, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ModelFormatException($"{archive.Path}: ML.NET segment '{part}' cannot be loaded: {e.Message}", e);
        }
    }

    private static ModelFormatException Invalid(LoadedArchive archive, string what) => new($"{archive.Path}: {what}");
}
