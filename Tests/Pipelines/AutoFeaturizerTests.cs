using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.Samples;
using MlToolkit.Data.Splits;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Pipelines.Labels;
using MlToolkit.Pipelines.Normalization;
using MlToolkit.Tests.Support;
using MlToolkit.Experiments.Training;

namespace MlToolkit.Tests.Pipelines;

public sealed class AutoFeaturizerTests
{
    [Fact]
    public void Auto_featurizer_and_lightgbm_reach_95_percent_in_5_fold_cv_on_breast_cancer()
    {
        var ml = new MLContext(seed: 1);
        var data = SampleDatasets.BreastCancer(ml);
        var plan = new TabularFeaturePlan(data.Layout, "diagnosis");
        var label = LabelEncoding.Build(ml, MlToolkit.Data.PredictionTask.BinaryClassification, "diagnosis", TextDataViewType.Instance, new[] { "benign", "malignant" });
        var accuracies = new List<double>();
        foreach (var fold in DataSplits.KFold(ml.Data.Cache(data), 5, seed: 1, stratifyColumn: "diagnosis"))
        {
            var model = label.Append(plan.Build(ml, normalizer: null)).Append(ml.BinaryClassification.Trainers.LightGbm()).Fit(fold.Train);
            accuracies.Add(ml.BinaryClassification.Evaluate(model.Transform(fold.Test)).Accuracy);
        }
        Assert.Equal(5, accuracies.Count);
        Measured.AtLeast(accuracies.Average(), 0.96, 0.9666, "mean 5-fold accuracy");
    }

    [Fact]
    public void Text_featurization_and_a_linear_trainer_reach_85_percent_on_the_imdb_sample()
    {
        var ml = new MLContext(seed: 1);
        var result = SupervisedTraining.Run(ml, new TrainingRequest { Data = SampleDatasets.Imdb(ml), LabelColumn = "Label", Trainer = "lbfgs" });
        Assert.Equal(MlToolkit.Data.PredictionTask.BinaryClassification, result.Model.Description.Task);
        Assert.Equal(400, result.Test.Rows);
        Measured.AtLeast(result.Test["accuracy"], 0.85, 0.86, "TF-IDF + L-BFGS held-out accuracy");
    }

    [Fact]
    public void Categories_unseen_in_training_become_all_zero_one_hot_vectors()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TempFolder();
        var train = DelimitedFile.Load(folder.Write("t.csv", "colour,size,y\nred,1,a\nblue,2,b\nred,3,a\nblue,4,b\nred,5,a\ngreen,6,b\n"));
        Assert.Equal(ColumnPurpose.Categorical, train.Layout.GetColumn("colour").Purpose);
        var featurizer = new TabularFeaturePlan(train.Layout, "y").Build(ml, normalizer: null).Fit(train);
        var test = DelimitedFile.Load(folder.Write("u.csv", "colour,size,y\npurple,7,a\n"), train.Layout);
        var features = featurizer.Transform(test).GetColumn<float[]>("Features").Single();
        Assert.Equal(new float[] { 7, 0, 0, 0 }, features);
    }

    [Fact]
    public void Standardizing_centres_and_scales_the_numbers_and_leaves_the_one_hot_slots_as_they_are()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TempFolder();
        var train = DelimitedFile.Load(folder.Write("t.csv", "colour,size,y\nred,1,a\nblue,2,b\nred,3,a\nblue,4,b\nred,5,a\ngreen,6,b\n"));
        var rows = new TabularFeaturePlan(train.Layout, "y").Build(ml, NormalizerKind.MeanVariance).Fit(train).Transform(train).GetColumn<float[]>("Features").ToList();
        var sizes = rows.Select(r => (double)r[0]).ToList();
        Assert.Equal(0, sizes.Average(), 5);
        Assert.Equal(1, Math.Sqrt(sizes.Average(s => s * s)), 1);
        Assert.True(sizes.Zip(sizes.Skip(1)).All(p => p.First < p.Second), "order kept");
        Assert.Equal(new float[] { 1, 0, 0 }, rows[0][1..]);
        Assert.Equal(new float[] { 0, 0, 1 }, rows[5][1..]);
    }

    [Fact]
    public void Image_path_columns_are_recognised_and_every_bad_file_is_named()
    {
        using var folder = new TempFolder();
        MnistSamples.WriteImageFolder(folder.Path, 3, 1, 2);
        var paths = Directory.GetFiles(folder.Path, "*.png", SearchOption.AllDirectories).Order().ToList();
        // A PNG cut to half its bytes keeps a valid header: only a full decode finds it.
        var bytes = File.ReadAllBytes(paths[1]);
        File.WriteAllBytes(paths[1], bytes[..(bytes.Length / 2)]);
        var broken = Path.Combine(folder.Path, "broken.png");
        File.WriteAllText(broken, "not a png");
        var csv = folder.Write("images.csv", "image,label\n" + string.Join("\n", paths.Select(p => $"{p},{(p.Contains("digit1") ? "one" : "two")}")) + $"\n{broken},two\n");
        var data = DelimitedFile.Load(csv);
        Assert.Equal(ColumnPurpose.ImagePath, data.Layout.GetColumn("image").Purpose);
        var error = Assert.Throws<DataFormatException>(() => SupervisedTraining.Run(new MLContext(1), new TrainingRequest { Data = data, LabelColumn = "label" }));
        Assert.Equal($"column 'image': 2 of 7 images cannot be used (expected PNG, JPEG, BMP, GIF or WebP files that decode in full): row 2: {paths[1]}: truncated; row 7: {broken}: not an image", error.Message);
    }
}
