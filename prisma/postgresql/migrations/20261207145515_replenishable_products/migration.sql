-- CreateTable
CREATE TABLE "ReplenishableProduct" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "repurchases" INTEGER NOT NULL,
    "repeatCustomers" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReplenishableProduct_pkey" PRIMARY KEY ("shop","productId")
);
