-- CreateIndex
CREATE INDEX "LineItem_shop_giftCard_productId_idx" ON "LineItem"("shop", "giftCard", "productId");
