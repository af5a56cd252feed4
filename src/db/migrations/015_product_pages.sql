-- The shopper's pages (issue 17): each product has a picture and, per language, a name and a description.
-- order_items keeps the name the order was placed under (what was bought); pages show the translation.
ALTER TABLE products ADD COLUMN image text;

CREATE TABLE product_translations (
  sku         text NOT NULL REFERENCES products (sku),
  lang        text NOT NULL CHECK (lang IN ('en', 'ja', 'zh-CN')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  PRIMARY KEY (sku, lang)
);

-- The one-fen test product was shown to shoppers as "Sample (¥0.01)": it is a real (cheap) product now.
UPDATE products SET name = 'Paper bookmark' WHERE sku = 'SAMPLE-1FEN' AND name LIKE 'Sample%';
