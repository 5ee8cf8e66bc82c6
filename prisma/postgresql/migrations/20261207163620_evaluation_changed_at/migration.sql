-- AlterTable
ALTER TABLE "RecommendationEvaluation" ADD COLUMN     "changedAt" TIMESTAMP(3);
