-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "observedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "observedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "observedAt" TIMESTAMP(3);
