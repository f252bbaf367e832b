using System.Collections;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.IO;

namespace MlToolkit.Data.Splits;

/// <summary>A training part and a test part of one dataset.</summary>
/// <param name="Train">Rows to train on.</param>
/// <param name="Test">Rows to test on.</param>
public sealed record DataSplit(IDataView Train, IDataView Test);

/// <summary>
/// Deterministic train/test splits and k-fold partitions, stratified by a label column or grouped by a group
/// column when asked. Only the column that decides the assignment is read; rows are then streamed through a
/// bit mask, so the data is never copied.
/// </summary>
public static class DataSplits
{
    /// <summary>Holds out <paramref name="testFraction"/> of the rows (of each class, when <paramref name="stratifyColumn"/> is given).</summary>
    public static DataSplit TrainTest(IDataView data, double testFraction, int seed, string? stratifyColumn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(testFraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(testFraction, 1.0);
        var strata = ReadKeys(data, stratifyColumn);
        var test = new BitArray(strata.Count);
        var random = new Random(seed);
        foreach (var rows in Strata(strata))
        {
            Shuffle(rows, random);
            var take = (int)Math.Round(rows.Count * testFraction, MidpointRounding.AwayFromZero);
            foreach (var row in rows.Take(take))
                test[row] = true;
        }
        var train = new BitArray(test).Not();
        return new DataSplit(new RowSelectionView(data, train), new RowSelectionView(data, test));
    }

    /// <summary>
    /// At most <paramref name="maxRows"/> rows of <paramref name="data"/>, evenly spread from the first row to the last
    /// (<paramref name="data"/> itself when it has no more than that), so a check over them costs a bounded time on any
    /// size of data and still sees every part of the file.
    /// </summary>
    public static IDataView Spread(IDataView data, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        var rows = RowCounter.Count(data);
        if (rows <= maxRows)
            return data;
        var keep = new BitArray(checked((int)rows));
        for (long taken = 0; taken < maxRows; taken++)
            keep[(int)(taken * rows / maxRows)] = true;
        return new RowSelectionView(data, keep);
    }

    /// <summary>
    /// <paramref name="folds"/> splits in which each row is tested exactly once. With <paramref name="groupColumn"/>,
    /// rows sharing a group value stay in one fold; otherwise, with <paramref name="stratifyColumn"/>, each class is
    /// spread evenly over the folds.
    /// </summary>
    public static IReadOnlyList<DataSplit> KFold(IDataView data, int folds, int seed, string? stratifyColumn = null, string? groupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var foldOf = groupColumn is not null ? GroupFolds(ReadKeys(data, groupColumn), folds, random) : StratifiedFolds(ReadKeys(data, stratifyColumn), folds, random);
        return Partition(data, foldOf, folds);
    }

    /// <summary>
    /// <paramref name="repeats"/> k-fold partitions one after another (<paramref name="repeats"/> × <paramref name="folds"/>
    /// splits), each from its own shuffle, so that each row is tested once per repeat. The first repeat is exactly
    /// <see cref="KFold"/> with <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<DataSplit> RepeatedKFold(IDataView data, int folds, int repeats, int seed, string? stratifyColumn = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        // The column is read once; each repeat only reshuffles the rows it names.
        var strata = ReadKeys(data, stratifyColumn);
        return Enumerable.Range(0, repeats)
            .SelectMany(r => Partition(data, StratifiedFolds(strata, folds, new Random(unchecked(seed + r))), folds)).ToList();
    }

    /// <summary>One split per fold: the rows <paramref name="foldOf"/> puts in that fold are its test part, the others its training part.</summary>
    private static List<DataSplit> Partition(IDataView data, int[] foldOf, int folds)
    {
        if (foldOf.Length < folds)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cannot make {folds} folds of {foldOf.Length} rows.");
        var result = new List<DataSplit>(folds);
        for (var fold = 0; fold < folds; fold++)
        {
            var test = new BitArray(foldOf.Length);
            for (var row = 0; row < foldOf.Length; row++)
                test[row] = foldOf[row] == fold;
            result.Add(new DataSplit(new RowSelectionView(data, new BitArray(test).Not()), new RowSelectionView(data, test)));
        }
        return result;
    }

    private static int[] StratifiedFolds(List<string> strata, int folds, Random random)
    {
        var foldOf = new int[strata.Count];
        var next = 0;
        foreach (var rows in Strata(strata))
        {
            Shuffle(rows, random);
            // Deal rows round-robin, continuing where the previous class stopped so fold sizes stay balanced.
            foreach (var row in rows)
                foldOf[row] = next++ % folds;
        }
        return foldOf;
    }

    private static int[] GroupFolds(List<string> groups, int folds, Random random)
    {
        var byGroup = Strata(groups);
        Shuffle(byGroup, random);
        if (byGroup.Count < folds)
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cannot make {folds} folds of {byGroup.Count} groups.");
        var sizes = new long[folds];
        var foldOf = new int[groups.Count];
        // Largest groups first into the currently smallest fold keeps folds near equal size.
        foreach (var rows in byGroup.OrderByDescending(g => g.Count))
        {
            var fold = Array.IndexOf(sizes, sizes.Min());
            foreach (var row in rows)
                foldOf[row] = fold;
            sizes[fold] += rows.Count;
        }
        return foldOf;
    }

    private static List<List<int>> Strata(List<string> keys)
    {
        var byKey = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var row = 0; row < keys.Count; row++)
        {
            if (!byKey.TryGetValue(keys[row], out var rows))
                byKey[keys[row]] = rows = new List<int>();
            rows.Add(row);
        }
        return byKey.Values.ToList();
    }

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>One string key per row: the column's value, or "" for every row when no column is named.</summary>
    private static List<string> ReadKeys(IDataView data, string? column)
    {
        var keys = new List<string>();
        if (column is null)
        {
            using var all = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
            while (all.MoveNext())
                keys.Add("");
            return keys;
        }
        var schemaColumn = data.Schema.GetColumnOrNull(column)
            ?? throw new SchemaException($"Column '{column}' not found. Columns: {string.Join(", ", data.Schema.Select(c => c.Name))}.");
        using var cursor = data.GetRowCursor(new[] { schemaColumn });
        Func<string> read = schemaColumn.Type switch
        {
            NumberDataViewType n when n == NumberDataViewType.Single => ColumnReader.Bind<float, string>(cursor, schemaColumn, v => v.ToString("R", CultureInfo.InvariantCulture)),
            BooleanDataViewType => ColumnReader.Bind<bool, string>(cursor, schemaColumn, v => v ? "1" : "0"),
            TextDataViewType => ColumnReader.Bind<ReadOnlyMemory<char>, string>(cursor, schemaColumn, v => v.ToString()),
            KeyDataViewType => ColumnReader.Bind<uint, string>(cursor, schemaColumn, v => v.ToString(CultureInfo.InvariantCulture)),
            _ => throw new SchemaException($"Column '{column}' has type {schemaColumn.Type}; splits can stratify or group by text, numbers, Booleans or keys."),
        };
        while (cursor.MoveNext())
            keys.Add(read());
        return keys;
    }
}
